import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  DEFAULT_REPO_CONFIG,
  parseRepoConfig,
  REPO_CONFIG_PATH,
  type RepoConfig,
} from '../../config/repo-config.js';
import { type CliCommand, type CliIo, EXIT } from '../cli-io.js';
import { parseCliArgs } from '../parse-cli-args.js';
import { CONNECTOR_LAYOUT_DIR } from './init-files.js';
import { type InitStep, planInit, renderInitReport, stepsToWrite } from './plan-init.js';
import { readExisting, readInitSources } from './read-init-files.js';
import { renderNextSteps } from './render-next-steps.js';

const USAGE = `usage: lakeflow-connector-bot init [dir] [--force] [--dry-run]

Installs lakeflow-connector-bot into a checkout of the connector repository (default: the current folder):
  .github/ISSUE_TEMPLATE/new-connector.yml        the "New connector" issue form the bot reads
  .github/workflows/lakeflow-connector-tests.yml  the test workflow the bot dispatches
  .github/lakeflow-connector-bot.yml              the settings, every key commented with its default

A file that exists with other content is skipped (exit code 1) unless --force is given.

options:
  --force      overwrite files whose content differs
  --dry-run    print what would happen, write nothing
  -h, --help   show this help
`;

/** `init [dir] [--force] [--dry-run]`: installs the issue form, the workflow and the default config. */
export const initCommand: CliCommand = {
  summary: 'install the issue form, the test workflow and a default config into a repository checkout',
  usage: USAGE,
  run: runInit,
};

async function runInit(args: readonly string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseCliArgs(args, {
    flags: { force: {}, 'dry-run': {}, help: { short: 'h' } },
    maxPositionals: 1,
  });
  if (flags.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const target = resolve(io.cwd, positionals[0] ?? '.');
  const refusal = checkTarget(target);
  if (refusal !== null) {
    io.stderr(`error: ${refusal}\n`);
    return EXIT.usage;
  }
  if (!isDirectory(join(target, CONNECTOR_LAYOUT_DIR))) {
    io.stderr(
      `warning: ${target} has no ${CONNECTOR_LAYOUT_DIR}/: is it a checkout of the connector repository?\n`,
    );
  }

  const files = readInitSources();
  const steps = planInit({ files, existing: (path) => readExisting(join(target, path)), force: flags.force });
  const dryRun = flags['dry-run'];
  const failures = dryRun ? [] : writeSteps(target, stepsToWrite(steps));

  io.stdout(`${dryRun ? 'Dry run, nothing written: ' : ''}${target}\n`);
  io.stdout(renderInitReport(steps, { dryRun }));
  for (const failure of failures) io.stderr(`error: ${failure}\n`);
  const repoArg = target === resolve(io.cwd) ? {} : { repoArg: target };
  io.stdout(`\n${renderNextSteps(readTargetConfig(target, steps, io), repoArg)}`);
  const incomplete = failures.length > 0 || steps.some((step) => step.action === 'skip');
  return incomplete ? EXIT.incomplete : EXIT.ok;
}

/** Writes each file, going on after a failure; returns one message per file that could not be written. */
function writeSteps(target: string, steps: readonly InitStep[]): string[] {
  return steps.flatMap(({ file }) => {
    const path = join(target, file.path);
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
      return [];
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return [`could not write ${file.path}: ${reason}`];
    }
  });
}

/** Why `target` cannot be initialised, or null when it is a folder holding a git checkout. */
function checkTarget(target: string): string | null {
  if (!exists(target)) return `${target} does not exist`;
  if (!isDirectory(target)) return `${target} is not a folder`;
  if (!exists(join(target, '.git'))) {
    return `${target} is not a git checkout (no .git): clone the connector repository and run init in it`;
  }
  return null;
}

/** The config the checkout ends up with (written, or kept), for the names in the next steps. */
function readTargetConfig(target: string, steps: readonly InitStep[], io: CliIo): RepoConfig {
  const step = steps.find(({ file }) => file.path === REPO_CONFIG_PATH);
  const existing = readExisting(join(target, REPO_CONFIG_PATH));
  const text = step?.action === 'skip' && existing.kind === 'file' ? existing.content : step?.file.content;
  try {
    return parseRepoConfig(text ?? null);
  } catch (error) {
    io.stderr(`warning: ${error instanceof Error ? error.message : String(error)}\n`);
    return DEFAULT_REPO_CONFIG;
  }
}

function exists(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false }) !== undefined;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
