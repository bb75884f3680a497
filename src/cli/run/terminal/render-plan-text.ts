import { assertNever } from '../../../domain/assert-never.js';
import { STAGE_LABELS, STAGES, type Stage } from '../../../domain/pipeline/phase.js';
import type { Run } from '../../../domain/pipeline/run.js';
import { formatUsd } from '../../../domain/render/format.js';
import { connectorPaths } from '../../../domain/target-repo/connector-paths.js';
import { indent, nameList } from './text-format.js';

/**
 * The plan for the terminal, from the same run as the plan comment: what will be built and where,
 * the tables in scope, each phase with the files it writes (paths in the checkout), the linked
 * documentation and the budget. The request's free-text notes are not echoed.
 */
export function renderPlanText(run: Run): string {
  const verb = run.extension
    ? 'extend the Lakeflow community connector'
    : 'build a Lakeflow community connector for';
  const tables =
    run.request.tables.length > 0
      ? `${nameList(run.request.tables)} (from your request)`
      : 'chosen in research from what Airbyte and Fivetran cover';
  const lines = [
    ...(run.extension
      ? [`${run.source} already exists in this checkout: this run adds tables to it and skips auth.`]
      : []),
    `Tables in scope: ${tables}; others found in research are deferred to later batches.`,
    'Phases and the files they write:',
    ...STAGES.flatMap((stage) => [
      `  ${STAGES.indexOf(stage) + 1} ${STAGE_LABELS[stage]}`,
      ...indent(produces(run, stage), '      '),
    ]),
    ...(run.request.docsUrls.length > 0
      ? ['API documentation you linked (research starts there):', ...indent(run.request.docsUrls)]
      : []),
    `Budget: up to ${formatUsd(run.budget.runUsd)} for this run and ${formatUsd(run.budget.stageUsd)} per phase attempt; ` +
      `up to ${run.settings.maxTestIterations} fix-and-test iterations (limits in .github/lakeflow-connector-bot.yml).`,
    ...(run.settings.clamps ?? []).map((clamp) => `Lowered to the operator's limits: ${clamp}`),
  ];
  return [`Plan: ${verb} ${run.source} on branch ${run.branch}`, ...indent(lines)].join('\n');
}

function produces(run: Run, stage: Stage): string[] {
  const p = connectorPaths(run.source, run.settings.layout);
  switch (stage) {
    case 'research':
      return [p.apiDoc];
    case 'auth':
      return run.extension ? ['skipped: the source exists'] : [`${p.spec} (connection part)`, p.authTest];
    case 'implement':
      return [p.implementation, p.init, p.simulatorEndpoints, p.simulatorCorpus];
    case 'test':
      return [`${p.testFile} (green in the local CI)`];
    case 'docs_spec':
      return [p.readme, `${p.spec} (complete)`];
    case 'package':
      return [
        p.pyproject,
        p.mergedSource,
        'the wheel (built by the local CI when the build package is installed)',
      ];
    default:
      return assertNever(stage);
  }
}
