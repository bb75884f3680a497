import { assertNever } from '../assert-never.js';
import type { Summary } from '../pipeline/effects.js';
import { nextStage, STAGE_LABELS, STAGES, type Stage } from '../pipeline/phase.js';
import type { Run } from '../pipeline/run.js';
import { packageLine, renderGates } from './ci-gates.js';
import { renderCommandsNow } from './commands-now.js';
import { renderCredentialsSummary } from './credentials-summary.js';
import { describeStatus } from './describe-status.js';
import { renderFinalSummary } from './final-summary.js';
import { codeList, commitLink, escapeHtml, formatCiRuns, formatUsd } from './format.js';
import { renderMarker } from './markers.js';
import { renderStageFacts } from './stage-facts.js';
import { renderTestTable, renderTestTotals } from './test-table.js';

/** What `/approve` at a stage's gate starts, keyed by the stage it starts. */
const APPROVE_STARTS: Readonly<Record<Stage, string>> = {
  research: 'start the research',
  auth: 'write the auth code and its test',
  implement: 'implement the connector',
  test: 'write the tests and run them in Actions',
  docs_spec: 'write the docs and the spec',
  package: 'build the package',
};

/** What a stage's summary says it did, by stage. */
export const STAGE_DONE: Readonly<Record<Stage, string>> = {
  research: 'API documented',
  auth: 'auth code written',
  implement: 'connector implemented',
  test: 'tests written',
  docs_spec: 'docs and spec written',
  package: 'package built',
};

/**
 * A summary comment (docs/maintainer-view.md): what
 * happened, read from the files and CI, then what to do now, ending with the commands that apply
 * in the run's current status. `run` is the run after the transition that posted the summary.
 */
export function renderSummary(run: Run, summary: Summary): string {
  const lines = [renderMarker('summary'), ...renderBody(run, summary), '', renderCommandsNow(run)];
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}

function renderBody(run: Run, summary: Summary): string[] {
  switch (summary.kind) {
    case 'stage':
      return [
        `**${phaseTitle(summary.stage)}: ${STAGE_DONE[summary.stage]}**${batchOf(summary.batch)} · commit ${commitLink(run.repoUrl, summary.headSha)}`,
        '',
        ...renderStageFacts(summary.stage, summary.facts),
        '',
        renderGateLead(run, summary.stage),
      ];
    case 'tests': {
      const ci = summary.ciRuns.length === 1 ? '1 CI run' : `${summary.ciRuns.length} CI runs`;
      const runs = summary.ciRuns.length > 0 ? ` (${ci}: ${formatCiRuns(summary.ciRuns)})` : '';
      return [
        `**${phaseTitle('test')}: all tests pass**${batchOf(summary.batch)}${runs}`,
        '',
        ...renderTestTable(summary.tests),
        '',
        [
          renderTestTotals(summary.tests),
          renderGates(summary.ciRuns.findLast((record) => record.conclusion === 'success')?.gates),
          `commit ${commitLink(run.repoUrl, summary.headSha)}`,
        ]
          .filter((part) => part !== null)
          .join(' · '),
        '',
        renderGateLead(run, 'test'),
      ];
    }
    case 'stage_failed':
      return [
        `**${phaseTitle(summary.stage)}, failed${batchOf(summary.batch)}:** ${escapeHtml(summary.reason)}`,
        '',
        ...(summary.tests.length > 0
          ? [...renderTestTable(summary.tests), '', renderTestTotals(summary.tests), '']
          : []),
        isFailedAt(run, summary.stage)
          ? 'Nothing was approved or merged. Reply `/retry` to run the phase again, `/revise <guidance>` to retry with your guidance, or `/restart <phase>` to resume from an earlier phase.'
          : `Nothing was approved or merged. ${nowLine(run)}`,
      ];
    case 'credentials':
      return renderCredentialsSummary(run, summary);
    case 'paused':
      return renderPaused(run, summary);
    case 'batch_done':
      return renderBatchDone(run, summary);
    case 'final':
      return renderFinalSummary(run);
    case 'live_check':
      return renderLiveCheck(run, summary);
    default:
      return assertNever(summary);
  }
}

/** `Phase 3, implement`: stages are numbered 1–6 as in the plan. */
function phaseTitle(stage: Stage): string {
  return `Phase ${STAGES.indexOf(stage) + 1}, ${STAGE_LABELS[stage]}`;
}

function batchOf(batch: number): string {
  return batch > 1 ? ` (batch ${batch})` : '';
}

/** What to do at a stage's gate, or where the run went if it is past it (auto-approval, a `/cancel`). */
function renderGateLead(run: Run, stage: Stage): string {
  const status = run.status;
  if (status.kind === 'awaiting_approval' && status.gate.kind === 'stage' && status.gate.stage === stage) {
    return `Reply **\`/approve\`** to ${approveStarts(run, stage)}, or \`/revise <what to change>\` to run *${STAGE_LABELS[stage]}* again; review comments on the changed lines are taken into account by \`/revise\`.`;
  }
  if (run.settings.autoApprove.includes(stage)) {
    return `*${STAGE_LABELS[stage]}* is approved automatically (repository config). ${nowLine(run)}`;
  }
  return nowLine(run);
}

function approveStarts(run: Run, stage: Stage): string {
  let next = nextStage(stage);
  while (next !== null && run.batch.stages[next].state === 'skipped') next = nextStage(next);
  return next === null ? 'finish this batch' : APPROVE_STARTS[next];
}

function isFailedAt(run: Run, stage: Stage): boolean {
  return run.status.kind === 'failed' && run.status.stage === stage;
}

function nowLine(run: Run): string {
  return `The run is now ${describeStatus(run.status)}.`;
}

function renderPaused(run: Run, summary: Extract<Summary, { kind: 'paused' }>): string[] {
  if (summary.tokens !== undefined) return renderTokensPaused(run, summary, summary.tokens);
  const label = STAGE_LABELS[summary.stage];
  const scope = summary.budget === 'run' ? 'for this run' : `on this attempt of *${label}*`;
  const step = run.settings.budget.raiseStepUsd;
  const current = summary.budget === 'run' ? run.budget.runUsd : run.budget.stageUsd;
  const stillPaused = run.status.kind === 'paused' && run.status.stage === summary.stage;
  return [
    `**${phaseTitle(summary.stage)}: paused, the ${summary.budget} budget is spent**`,
    '',
    `Spent ${formatUsd(summary.spentUsd)} of ${formatUsd(summary.limitUsd)} ${scope}.`,
    '',
    stillPaused
      ? `Reply **\`/approve\`** to raise the ${summary.budget} budget by ${formatUsd(step)} (to ${formatUsd(current + step)}) and run *${label}* again, \`/revise <feedback>\` to add guidance for that run, or \`/cancel\` to stop here.`
      : nowLine(run),
  ];
}

function renderTokensPaused(
  run: Run,
  summary: Extract<Summary, { kind: 'paused' }>,
  tokens: { spent: number; limit: number },
): string[] {
  const label = STAGE_LABELS[summary.stage];
  const scope = summary.budget === 'run' ? 'for this run' : `on this attempt of *${label}*`;
  const step = run.settings.budget.raiseStepTokens;
  const stillPaused = run.status.kind === 'paused' && run.status.stage === summary.stage;
  const count = (value: number) => `${value.toLocaleString('en-US')} tokens`;
  return [
    `**${phaseTitle(summary.stage)}: paused, the ${summary.budget} token budget is spent**`,
    '',
    `Used ${count(tokens.spent)} of ${count(tokens.limit)} ${scope} (${formatUsd(summary.spentUsd)}).`,
    '',
    stillPaused
      ? `Reply **\`/approve\`** to raise the ${summary.budget} token budget by ${count(step)} and run *${label}* again, or \`/cancel\` to stop here.`
      : nowLine(run),
  ];
}

function renderBatchDone(run: Run, summary: Extract<Summary, { kind: 'batch_done' }>): string[] {
  const next = summary.deferredTables.slice(0, run.settings.maxTablesPerBatch);
  const atGate = run.status.kind === 'awaiting_approval' && run.status.gate.kind === 'next_batch';
  return [
    `**Batch ${summary.batch} of \`${run.source}\` is built and packaged**`,
    '',
    `- Built so far: ${run.completedTables.length > 0 ? codeList(run.completedTables) : 'none'}`,
    `- Still to build (Deferred Tables): ${codeList(summary.deferredTables)}`,
    ...packageLine(run, summary.batch),
    '',
    atGate
      ? `Reply **\`/approve\`** to build batch ${summary.batch + 1} with ${codeList(next)}, or \`/cancel\` to stop here and hand over the PR as it is. \`/add-tables a,b\` adds tables to the list.`
      : nowLine(run),
  ];
}

function renderLiveCheck(run: Run, summary: Extract<Summary, { kind: 'live_check' }>): string[] {
  const link = summary.url ? ` · [CI run](${summary.url})` : '';
  const table =
    summary.tests.length > 0
      ? ['', ...renderTestTable(summary.tests), '', renderTestTotals(summary.tests)]
      : [];
  if (summary.passed) {
    return [
      `**Live validation passed**${link}`,
      ...table,
      '',
      `The connector read the real source with the credentials of the \`lakeflow-live\` environment; the label \`${run.settings.needsLiveTestingLabel}\` is removed.`,
    ];
  }
  return [
    `**Live validation failed**${link}`,
    '',
    summary.reason ?? 'The live test run failed.',
    ...table,
    '',
    'Check the secret `CONNECTOR_TEST_CONFIG_JSON` of the `lakeflow-live` environment, then reply `/approve` to run it again.',
  ];
}
