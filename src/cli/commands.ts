import type { CliCommand } from './cli-io.js';
import { doctorCommand } from './doctor/doctor-command.js';
import { initCommand } from './init/init-command.js';
import { runCommand } from './run/run-command.js';

/**
 * The subcommands, by name, in the order `help` lists them. A new one (e.g. `run`, from `./run/run-command.js`)
 * is one entry here; `help` and the dispatch in run-cli.ts pick it up.
 */
export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  init: initCommand,
  doctor: doctorCommand,
  run: runCommand,
};
