import { assertNever } from '../../../domain/assert-never.js';
import type { Summary } from '../../../domain/pipeline/effects.js';
import { STAGE_LABELS, type Stage } from '../../../domain/pipeline/phase.js';
import type { Run } from '../../../domain/pipeline/run.js';
import { latestCiRun } from '../../../domain/render/ci-gates.js';
import { formatTokenUse, formatUsd } from '../../../domain/render/format.js';
import { STAGE_DONE } from '../../../domain/render/summary.js';
import { renderTestTotals } from '../../../domain/render/test-table.js';
import { connectorPaths } from '../../../domain/target-repo/connector-paths.js';
import { answerHint } from '../parse-gate-answer.js';
import { renderStageFactsText } from './render-stage-facts-text.js';
import { renderTestLines } from './render-tests-text.js';
import {
  batchSuffix,
  ciRunList,
  gateSummary,
  indent,
  nameList,
  phaseTitle,
  shortSha,
} from './text-format.js';

/**
 * A summary for the terminal, from the same facts as the summary comment: a title line, then the
 * facts indented under it. Commits are short shas and files their paths in the checkout. What to
 * answer is left to the gate question that follows, so no command is listed here.
 */
export function renderSummaryText(run: Run, summary: Summary): string {
  const [title, ...details] = linesOf(run, summary);
  return [title, ...indent(details)].join('\n');
}

function linesOf(run: Run, summary: Summary): string[] {
  switch (summary.kind) {
    case 'stage':
      return [
        `${phaseTitle(summary.stage)}: ${STAGE_DONE[summary.stage]}${batchSuffix(summary.batch)} · commit ${shortSha(summary.headSha)}`,
        ...renderStageFactsText(summary.stage, summary.facts),
        ...autoApproved(run, summary.stage),
      ];
    case 'tests': {
      const count = summary.ciRuns.length === 1 ? '1 CI run' : `${summary.ciRuns.length} CI runs`;
      const runs = summary.ciRuns.length > 0 ? ` · ${count}: ${ciRunList(summary.ciRuns)}` : '';
      const gates = gateSummary(summary.ciRuns.findLast((ci) => ci.conclusion === 'success')?.gates);
      return [
        `${phaseTitle('test')}: all tests pass${batchSuffix(summary.batch)}${runs}`,
        [renderTestTotals(summary.tests), gates, `commit ${shortSha(summary.headSha)}`]
          .filter((part) => part !== null)
          .join(' · '),
        ...renderTestLines(summary.tests),
        ...autoApproved(run, 'test'),
      ];
    }
    case 'stage_failed':
      return [
        `${phaseTitle(summary.stage)} failed${batchSuffix(summary.batch)}: ${summary.reason}`,
        ...(summary.tests.length > 0
          ? [renderTestTotals(summary.tests), ...renderTestLines(summary.tests)]
          : []),
        'Nothing was approved or merged.',
      ];
    case 'credentials':
      return credentials(run, summary);
    case 'paused':
      return paused(run, summary);
    case 'batch_done':
      return batchDone(run, summary);
    case 'final':
      return final(run);
    case 'live_check':
      return [
        `Live validation ${summary.passed ? 'passed' : 'failed'}`,
        ...(summary.reason === null || summary.passed ? [] : [summary.reason]),
        ...(summary.tests.length > 0
          ? [renderTestTotals(summary.tests), ...renderTestLines(summary.tests)]
          : []),
      ];
    default:
      return assertNever(summary);
  }
}

function autoApproved(run: Run, stage: Stage): string[] {
  return run.settings.autoApprove.includes(stage)
    ? [`${STAGE_LABELS[stage]} is approved automatically (repository config).`]
    : [];
}

function credentials(run: Run, summary: Extract<Summary, { kind: 'credentials' }>): string[] {
  const commit = summary.headSha === null ? '' : ` · commit ${shortSha(summary.headSha)}`;
  const authTest = connectorPaths(run.source, run.settings.layout).authTest;
  const failed = summary.lastCheck === 'failed';
  return [
    failed
      ? `${phaseTitle('auth')}: the live check failed${commit}`
      : `${phaseTitle('auth')}: auth code written, live credentials next${commit}`,
    ...(failed ? [`Problem: ${summary.problem ?? 'the check did not pass.'}`] : []),
    `The live check runs ${authTest} here, with CONNECTOR_TEST_CONFIG_JSON from your environment:`,
    '  a flat JSON object of the connection parameters connector_spec.yaml declares, e.g. {"api_key": "…"}.',
    `Without credentials, ${answerHint('skip-auth')} goes on in simulate mode only; the PR then gets the label ${run.settings.needsLiveTestingLabel}.`,
  ];
}

function paused(run: Run, summary: Extract<Summary, { kind: 'paused' }>): string[] {
  const label = STAGE_LABELS[summary.stage];
  const scope = summary.budget === 'run' ? 'for this run' : `on this attempt of ${label}`;
  const stillPaused = run.status.kind === 'paused' && run.status.stage === summary.stage;
  const tokens = summary.tokens;
  if (tokens !== undefined) {
    const count = (value: number) => `${value.toLocaleString('en-US')} tokens`;
    return [
      `${phaseTitle(summary.stage)}: paused, the ${summary.budget} token budget is spent`,
      `Used ${count(tokens.spent)} of ${count(tokens.limit)} ${scope} (${formatUsd(summary.spentUsd)}).`,
      ...(stillPaused
        ? [
            `${answerHint('approve')} raises the ${summary.budget} token budget by ${count(run.settings.budget.raiseStepTokens)} and runs ${label} again.`,
          ]
        : []),
    ];
  }
  const step = run.settings.budget.raiseStepUsd;
  const current = summary.budget === 'run' ? run.budget.runUsd : run.budget.stageUsd;
  return [
    `${phaseTitle(summary.stage)}: paused, the ${summary.budget} budget is spent`,
    `Spent ${formatUsd(summary.spentUsd)} of ${formatUsd(summary.limitUsd)} ${scope}.`,
    ...(stillPaused
      ? [
          `${answerHint('approve')} raises the ${summary.budget} budget by ${formatUsd(step)} (to ${formatUsd(current + step)}) and runs ${label} again.`,
        ]
      : []),
  ];
}

function batchDone(run: Run, summary: Extract<Summary, { kind: 'batch_done' }>): string[] {
  const atGate = run.status.kind === 'awaiting_approval' && run.status.gate.kind === 'next_batch';
  const next = summary.deferredTables.slice(0, run.settings.maxTablesPerBatch);
  return [
    `Batch ${summary.batch} of ${run.source} is built and packaged`,
    `Built so far: ${nameList(run.completedTables)}`,
    `Still to build (deferred tables): ${nameList(summary.deferredTables)}`,
    ...packageBuild(run, summary.batch),
    ...(atGate ? [`Next batch: ${nameList(next)}`] : []),
  ];
}

function final(run: Run): string[] {
  const p = connectorPaths(run.source, run.settings.layout);
  const count = run.completedTables.length;
  const lines = [
    [
      `${run.source} connector complete`,
      run.batch.number === 1 ? '1 batch' : `${run.batch.number} batches`,
      count === 1 ? '1 table' : `${count} tables`,
      formatUsd(run.usage.costUsd),
      formatTokenUse(run.usage),
    ]
      .filter((part) => part !== null)
      .join(' · '),
    `Tables: ${nameList(run.completedTables)}`,
    'Deliverables:',
    `  API doc: ${p.apiDoc}`,
    `  Implementation: ${p.implementation}, ${p.init}`,
    `  Connector spec: ${p.spec}`,
    `  README: ${p.readme}`,
    `  Package: ${p.pyproject}, ${p.mergedSource}`,
    `  Connector tests: ${p.testFile}, ${p.testsInit}`,
    ...(run.extension ? [] : [`  Auth test: ${p.authTest}`]),
    `  Simulator spec: ${p.simulatorEndpoints}, ${p.simulatorCorpus}`,
    ...packageBuild(run, run.batch.number),
    `Run the tests: pytest ${p.testsDir} -v`,
  ];
  if (run.auth === 'skipped') {
    lines.push(
      `Live validation has not run (skip-auth): the PR gets the label ${run.settings.needsLiveTestingLabel} until ${p.authTest} passes with real credentials.`,
    );
  }
  return lines;
}

function packageBuild(run: Run, batch: number): string[] {
  const gates = gateSummary(latestCiRun(run, 'package', batch)?.gates);
  return gates === null ? [] : [`Package build: ${gates}`];
}
