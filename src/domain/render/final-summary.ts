import type { Run } from '../pipeline/run.js';
import { connectorPaths, shortPath } from '../target-repo/connector-paths.js';
import { packageLine } from './ci-gates.js';
import { describeStatus } from './describe-status.js';
import { code, codeList, formatTokenUse, formatUsd } from './format.js';

/**
 * The final summary (docs/maintainer-view.md): every table and deliverable, what it cost, how to run
 * the tests, and, when the live check was skipped, how to run it later. The PR is then marked
 * ready for review by the effect that follows.
 */
export function renderFinalSummary(run: Run): string[] {
  const p = connectorPaths(run.source, run.settings.layout);
  const list = (...paths: string[]): string => paths.map((path) => code(shortPath(path))).join(', ');
  const batches = run.batch.number === 1 ? '1 batch' : `${run.batch.number} batches`;
  const count = run.completedTables.length;
  const tables = count === 1 ? '1 table' : `${count} tables`;
  const lines = [
    [
      `**\`${run.source}\` connector complete**`,
      batches,
      tables,
      formatUsd(run.usage.costUsd),
      formatTokenUse(run.usage),
    ]
      .filter((part) => part !== null)
      .join(' · '),
    '',
    `Tables: ${count > 0 ? codeList(run.completedTables) : 'none'}`,
    '',
    'Deliverables:',
    '',
    `- API doc: ${list(p.apiDoc)}`,
    `- Implementation: ${list(p.implementation, p.init)}`,
    `- Connector spec: ${list(p.spec)}`,
    `- README: ${list(p.readme)}`,
    `- Package: ${list(p.pyproject, p.mergedSource)}`,
    `- Connector tests: ${list(p.testFile, p.testsInit)}`,
    ...(run.extension ? [] : [`- Auth test: ${list(p.authTest)}`]),
    `- Simulator spec: ${list(p.simulatorEndpoints, p.simulatorCorpus)}`,
    ...packageLine(run, run.batch.number),
    '',
    `Run the tests: \`pytest ${p.testsDir} -v\`.`,
  ];
  if (run.auth === 'skipped') {
    lines.push(
      '',
      [
        `Live validation has not run (\`/skip-auth\`), so the PR carries the label \`${run.settings.needsLiveTestingLabel}\`.`,
        'To run it, add the secret `CONNECTOR_TEST_CONFIG_JSON` to the `lakeflow-live` environment and reply',
        '`/approve`.',
      ].join(' '),
    );
  }
  lines.push(
    '',
    run.status.kind === 'done'
      ? 'The PR is ready for review. Reply `/add-tables a,b` to build more tables in a new batch.'
      : `The run is now ${describeStatus(run.status)}.`,
  );
  return lines;
}
