import { liveSpend, runSpendSoFar } from '../accounting/spend.js';
import { assertNever } from '../assert-never.js';
import { STAGE_LABELS, STAGES, type Stage } from '../pipeline/phase.js';
import type { Run } from '../pipeline/run.js';
import { describeStatus } from './describe-status.js';
import {
  branchUrl,
  commitLink,
  escapeHtml,
  formatCiRuns,
  formatDuration,
  formatTokenUse,
  formatUsd,
  renderBatchLabel,
} from './format.js';
import { renderMarker, renderStateMarker } from './markers.js';
import { statusIcon } from './status-icon.js';

/**
 * The one status comment on the issue (docs/maintainer-view.md), edited in place after every transition:
 * header, stage checklist, links and spend, then the run's state in a hidden marker on the last
 * line, from which a run lost from Redis is rebuilt (`parseStateMarker`).
 */
export function renderStatusComment(run: Run): string {
  return [
    renderMarker('status'),
    renderHeader(run),
    '',
    ...renderChecklist(run),
    ...renderFailure(run),
    '',
    renderFooter(run),
    '',
    renderStateMarker(run),
  ].join('\n');
}

/**
 * The PR body: `Closes #<issue>`, the batch and the checklist of finished phases. It leaves out
 * what changes within a phase (the run's state, a running phase's activity and spend, CI runs,
 * failures: the status comment has them), so it is edited once a phase at most: GitHub paces
 * writes, and every edit of the body would cost the run a second.
 */
export function renderPullRequestBody(run: Run): string {
  const verb = run.extension ? 'Extends' : 'Adds';
  return [
    renderMarker('pr-body'),
    `Closes #${run.ref.issue}.`,
    '',
    `${verb} the Lakeflow community connector \`${run.source}\`, built phase by phase with an approval gate after each.`,
    '',
    `**\`${run.source}\` connector** · ${renderBatchLabel(run)}`,
    '',
    ...STAGES.map((stage) => renderStageLine(run, stage, 'settled')),
    '',
    `The run's state, spend and CI runs are in the status comment on #${run.ref.issue}. ` +
      `Commands work here and on #${run.ref.issue}; \`/help\` lists them.`,
  ].join('\n');
}

function renderHeader(run: Run): string {
  return `**\`${run.source}\` connector** · ${renderBatchLabel(run)} · ${statusIcon(run.status)} ${describeStatus(run.status)}`;
}

function renderChecklist(run: Run): string[] {
  const lines: string[] = [];
  for (const stage of STAGES) {
    lines.push(renderStageLine(run, stage));
    const ciRuns = run.ciRuns.filter((record) => record.stage === stage && record.batch === run.batch.number);
    if (ciRuns.length > 0) lines.push(`  - CI: ${formatCiRuns(ciRuns)}`);
  }
  return lines;
}

/** A phase's checklist line; `settled` shows a phase only once it is done or skipped. */
function renderStageLine(run: Run, stage: Stage, view: 'live' | 'settled' = 'live'): string {
  const record = run.batch.stages[stage];
  const parts: string[] = [];
  let box = '[ ]';
  const finished = record.state === 'done' || record.state === 'skipped';
  if (view === 'settled' && !finished) return `- ${box} ${STAGE_LABELS[stage]}`;
  switch (record.state) {
    case 'done':
      box = '[x]';
      break;
    case 'skipped':
      box = '[x]';
      parts.push('skipped');
      break;
    case 'pending':
      break;
    case 'running':
      box = '[ ] ⏳';
      parts.push(renderActivity(run, stage));
      break;
    case 'failed':
      box = '[ ] ✗';
      parts.push('failed');
      break;
    default:
      return assertNever(record.state);
  }
  if (record.commitSha !== null) parts.push(commitLink(run.repoUrl, record.commitSha));
  if (record.durationMs > 0) parts.push(formatDuration(record.durationMs));
  if (record.usage.costUsd > 0) parts.push(formatUsd(record.usage.costUsd));
  const live = liveSpend(record);
  if (record.state === 'running' && live !== null) parts.push(`${formatUsd(live.costUsd)} so far`);
  if (record.note !== null) parts.push(escapeHtml(record.note));
  if (stage === 'auth' && run.auth === 'skipped')
    parts.push(`label \`${run.settings.needsLiveTestingLabel}\``);
  return [`- ${box} ${STAGE_LABELS[stage]}`, ...parts].join(' · ');
}

/** What a running stage is doing: the agent at work, or its CI run (with the fix iteration for tests). */
function renderActivity(run: Run, stage: Stage): string {
  const waiting = run.status.kind === 'waiting_for_ci' && run.status.stage === stage;
  const activity = waiting ? 'waiting for CI' : 'running';
  if (stage !== 'test') return activity;
  const iteration = waiting ? run.testIterations : run.testIterations + 1;
  return `${activity} (iteration ${iteration} of ${run.settings.maxTestIterations})`;
}

/** Why the run stopped, in one line (the failure summary has the details). */
function renderFailure(run: Run): string[] {
  if (run.status.kind !== 'failed') return [];
  const reason = run.status.reason.replace(/\s+/g, ' ').trim();
  const cut = reason.length > 600 ? `${reason.slice(0, 599)}…` : reason;
  return ['', `**Why it stopped:** ${escapeHtml(cut)}`];
}

function renderFooter(run: Run): string {
  const parts: string[] = [];
  if (run.pullRequest !== null) {
    const draft = run.status.kind === 'done' ? '' : ' (draft)';
    parts.push(`[PR #${run.pullRequest}](${run.repoUrl}/pull/${run.pullRequest})${draft}`);
  }
  parts.push(
    run.status.kind === 'awaiting_plan_approval'
      ? `branch \`${run.branch}\` (created on \`/approve\`)`
      : `branch [\`${run.branch}\`](${branchUrl(run.repoUrl, run.branch)})`,
  );
  const spent = runSpendSoFar(run);
  parts.push(`spent ${formatUsd(spent.costUsd)} of ${formatUsd(run.budget.runUsd)}`);
  const tokens = formatTokenUse(spent);
  if (tokens !== null) parts.push(tokens);
  return parts.join(' · ');
}
