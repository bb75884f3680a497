import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliIo, EXIT, UsageError } from './cli-io.js';
import { COMMANDS } from './commands.js';
import { PACKAGE_ROOT } from './package-root.js';
import { renderUsage } from './render-usage.js';

/**
 * Runs one command line (the arguments after the program name) and returns the exit code: 0 done,
 * 1 something was skipped or failed, 2 the command line was wrong (the message and the usage go to stderr).
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) return usageError(io, 'missing command');
  if (name === 'help' || name === '--help' || name === '-h') return showHelp(rest, io);
  if (name === '--version' || name === '-V') return showVersion(io);
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) return usageError(io, `unknown command: ${name}`);
  // `<command> --help` and `<command> --version` answer before any option is read or anything runs.
  if (rest.some((arg) => arg === '--help' || arg === '-h')) {
    io.stdout(command.usage);
    return EXIT.ok;
  }
  if (rest.some((arg) => arg === '--version' || arg === '-V')) return showVersion(io);
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, error.message, command.usage);
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.incomplete;
  }
}

function showHelp(args: readonly string[], io: CliIo): number {
  const [topic, ...extra] = args;
  if (topic === undefined) {
    io.stdout(renderUsage(COMMANDS));
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, topic) ? COMMANDS[topic] : undefined;
  if (command === undefined || extra.length > 0) {
    return usageError(
      io,
      command === undefined ? `unknown command: ${topic}` : `unexpected argument: ${extra.join(' ')}`,
    );
  }
  io.stdout(command.usage);
  return EXIT.ok;
}

function usageError(io: CliIo, message: string, usage = renderUsage(COMMANDS)): number {
  io.stderr(`error: ${message}\n\n${usage}`);
  return EXIT.usage;
}

function showVersion(io: CliIo): number {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  io.stdout(`lakeflow-connector-bot ${typeof pkg.version === 'string' ? pkg.version : 'unknown'}\n`);
  return EXIT.ok;
}
