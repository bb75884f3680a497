import { spawn } from 'node:child_process';
import { ExternalServiceError } from '../../errors.js';

/** A `git` command that exited non-zero: its arguments, exit code and standard error. */
export class GitCommandError extends ExternalServiceError {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (exit ${exitCode ?? 'signal'}): ${stderr.trim().slice(0, 500)}`);
  }
}

/** Options of one `git` call. */
export interface RunGitOptions {
  /** Written to the command's standard input (then closed). */
  input?: string | Uint8Array;
  /** Extra environment, e.g. `GIT_INDEX_FILE`; the rest is the process environment. */
  env?: Readonly<Record<string, string>>;
}

const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * Runs `git -C <dir> <args…>` with an argument array (never a shell) and returns its standard output
 * as bytes. A non-zero exit throws `GitCommandError` with git's own message. Hooks and the user's
 * pager never run: plumbing commands do not call them, and `GIT_PAGER`/`GIT_TERMINAL_PROMPT` are off.
 */
export function runGit(dir: string, args: readonly string[], options: RunGitOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', dir, ...args], {
      env: { ...process.env, GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) child.kill();
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) =>
      reject(new ExternalServiceError(`Could not start git: ${error.message}`, { cause: error })),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitCommandError(args, code, Buffer.concat(err).toString('utf8')));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** `runGit` as trimmed text. */
export async function runGitText(
  dir: string,
  args: readonly string[],
  options?: RunGitOptions,
): Promise<string> {
  return (await runGit(dir, args, options)).toString('utf8').trim();
}

/** Like `runGitText`, but `null` when git exits 1 (what `rev-parse --verify --quiet` and `cat-file -e` do for "missing"). */
export async function tryGitText(dir: string, args: readonly string[]): Promise<string | null> {
  try {
    return await runGitText(dir, args);
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode === 1) return null;
    throw error;
  }
}
