import { statSync } from 'node:fs';
import { listSources, readConnectorFiles } from '../../adapters/target-repo/read-checkout.js';
import { checkMergedConnector } from '../../domain/target-repo/checks/merged-connector-check.js';
import type { ConnectorProblem } from '../../domain/target-repo/checks/problem.js';
import type { TargetLayout } from '../../domain/target-repo/layout.js';
import { type CliCommand, type CliIo, EXIT } from '../cli-io.js';
import { checkCheckout } from './check-checkout.js';
import { parseDoctorOptions } from './doctor-options.js';
import { buildDoctorReport, isHealthy, renderDoctorJson, renderDoctorTable } from './doctor-report.js';

const USAGE = `usage: lakeflow-connector-bot doctor [--repo <dir>] [--json]

Checks a checkout of the connector repository (a fork of databrickslabs/lakeflow-community-connectors)
against what the bot relies on, before installing the bot and after upstream moves. Reads only.

  repository   .github/lakeflow-connector-bot.yml parses (its paths.* are used below); the framework
               modules and the merge script exist; the framework exports LakeflowConnect (interface),
               LakeflowSource (sparkpds) and defines the LakeflowConnectTests harness; the connector
               folders exist; the issue form and the workflow are what this version's init installs
               and the config exists
  connectors   every connector passes the checks the bot holds its own connectors to (the repository's
               review rubric and CI): class, ingestion types, DataSource, imports, tests, simulator
               spec and corpus, API doc, connection and options in connector_spec.yaml, README,
               pyproject.toml and the merged source file

options:
  --repo, -C   the checkout (default: the current directory)
  --json       print {"repo": {ok, problems}, "connectors": [{source, ok, problems}]} instead of the table
  -h, --help   show this help

Exit status: 0 everything passes, 1 something fails, 2 bad command line.
`;

/** `doctor [--repo DIR] [--json]`: checks a checkout's framework, installed files and every connector. */
export const doctorCommand: CliCommand = {
  summary: 'check a checkout: the framework the bot relies on, the installed files, every connector',
  usage: USAGE,
  run: runDoctor,
};

async function runDoctor(args: readonly string[], io: CliIo): Promise<number> {
  const options = parseDoctorOptions(args, io.cwd);
  if (options.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const repo = options.repo;
  const stats = statSync(repo, { throwIfNoEntry: false });
  if (stats === undefined || !stats.isDirectory()) {
    io.stderr(`error: ${repo} ${stats === undefined ? 'does not exist' : 'is not a folder'}\n`);
    return EXIT.usage;
  }

  const repository = checkCheckout(repo);
  const connectors = [];
  for (const source of await listSources(repo, repository.layout)) {
    connectors.push({ source, problems: await checkConnector(repo, source, repository.layout) });
  }
  const report = buildDoctorReport({ repoProblems: repository.problems, connectors });

  io.stdout(options.json ? renderDoctorJson(report) : `${repo}\n\n${renderDoctorTable(report)}`);
  return isHealthy(report) ? EXIT.ok : EXIT.incomplete;
}

/** One connector's problems; a connector the checks cannot read is reported as such, not a crash of the rest. */
async function checkConnector(
  repo: string,
  source: string,
  layout: TargetLayout,
): Promise<ConnectorProblem[]> {
  const files = await readConnectorFiles(repo, source, layout);
  try {
    return checkMergedConnector({ source, files, layout });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [
      {
        check: 'doctor',
        file: `${layout.sources}/${source}/`,
        message: `the checks could not read this connector (a bug in lakeflow-connector-bot: please report it): ${reason}`,
      },
    ];
  }
}
