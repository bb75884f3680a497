import type { CliCommand } from './cli-io.js';

/** The top-level help: the command line shape and one line per subcommand. */
export function renderUsage(commands: Readonly<Record<string, CliCommand>>): string {
  const names = [...Object.keys(commands), 'help'];
  const width = Math.max(...names.map((name) => name.length));
  const rows = Object.entries(commands).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
  );
  rows.push(`  ${'help'.padEnd(width)}  show this help, or a command's: help <command>`);
  return `usage: lakeflow-connector-bot <command> [options]\n\ncommands:\n${rows.join('\n')}\n`;
}
