/** What a subcommand may touch besides the file system: its output streams and the working directory. */
export interface CliIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Exit codes of the CLI: success, something was refused or failed, the command line itself was wrong. */
export const EXIT = { ok: 0, incomplete: 1, usage: 2 } as const;

/** One subcommand: `run` gets the arguments after the subcommand's name and returns the exit code. */
export interface CliCommand {
  /** One line for the command list of `help`. */
  readonly summary: string;
  /** The full help of the command, starting with its `usage:` line. */
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}

/** The command line cannot be used as written: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
