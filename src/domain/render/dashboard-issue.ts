import { runSpendSoFar } from '../accounting/spend.js';
import { assertNever } from '../assert-never.js';
import { STAGE_LABELS, type Stage } from '../pipeline/phase.js';
import { isActiveRun } from '../pipeline/repo-runs.js';
import type { Run } from '../pipeline/run.js';
import { describeStatus } from './describe-status.js';
import { code, escapeCell, formatUsd, renderBatchLabel } from './format.js';
import { renderMarker } from './markers.js';
import { statusIcon } from './status-icon.js';

/** The marker key of the dashboard issue: its body starts with `<!-- lakeflow-connector-bot:dashboard -->`. */
export const DASHBOARD_KEY = 'dashboard';

/** The title the dashboard issue is opened with. People may rename it: it is found by its marker. */
export const DASHBOARD_TITLE = 'Lakeflow connector runs';

/** Rows the dashboard lists at most: open runs, and finished ones (the most recently updated). */
export const DASHBOARD_ROWS = { open: 50, finished: 20 } as const;

/** GitHub refuses an issue body over 65,536 characters; rows are dropped to stay well inside it. */
export const DASHBOARD_MAX_CHARS = 60_000;

const HEADER = [
  '| run | source | state | phase | spent of budget | PR | updated |',
  '|---|---|---|---|---|---|---|',
];

/**
 * The body of the repository's dashboard issue: every run of the repository in one table per kind,
 * open runs first (newest request first), then the most recently finished ones, each with its
 * issue, source, state in words, current phase and batch, spend against its budget, PR and last
 * update. Text from outside the bot is made inert in its cell (`escapeCell`, code spans). Nothing
 * in it depends on the time it is rendered, so the same runs give the same body and the worker
 * edits the issue only when a run changed.
 */
export function renderDashboardIssue(runs: readonly Run[], maxChars = DASHBOARD_MAX_CHARS): string {
  const open = runs.filter(isActiveRun).sort((a, b) => b.ref.issue - a.ref.issue);
  const finished = runs
    .filter((run) => !isActiveRun(run))
    .sort((a, b) => time(b.updatedAt) - time(a.updatedAt) || b.ref.issue - a.ref.issue)
    .slice(0, DASHBOARD_ROWS.finished);
  let openRows = open.slice(0, DASHBOARD_ROWS.open).map(renderRow);
  let finishedRows = finished.map(renderRow);
  const render = () => renderBody(open.length, openRows, finishedRows);
  // Rows are bounded in number and length, so this drops rows only with extreme cells (repository
  // URLs and logins at their longest): the finished ones first, then the oldest requests.
  while (render().length > maxChars && finishedRows.length > 0) finishedRows = finishedRows.slice(0, -1);
  while (render().length > maxChars && openRows.length > 0) openRows = openRows.slice(0, -1);
  return render();
}

function renderBody(openCount: number, openRows: string[], finishedRows: string[]): string {
  const notListed = openCount - openRows.length;
  return [
    renderMarker(DASHBOARD_KEY),
    'Every Lakeflow connector run of this repository, as the bot last recorded it. The bot edits this issue in place a little after a run changes; each run’s status comment on its own issue has the details.',
    '',
    `### Open runs (${openCount})`,
    '',
    ...(openRows.length === 0 ? ['No run is open.'] : [...HEADER, ...openRows]),
    ...(notListed > 0 ? ['', `…and ${notListed} older open runs, not listed here.`] : []),
    '',
    '### Recently finished',
    '',
    ...(finishedRows.length === 0 ? ['No run has finished yet.'] : [...HEADER, ...finishedRows]),
    '',
    '---',
    'Close this issue to stop these updates; reopen it to have them again. To turn the dashboard off for this repository, set `dashboard: false` in `.github/lakeflow-connector-bot.yml`.',
  ].join('\n');
}

function renderRow(run: Run): string {
  const issue = `[#${run.ref.issue}](${run.repoUrl}/issues/${run.ref.issue})`;
  const state = `${statusIcon(run.status)} ${escapeCell(describeStatus(run.status), 300)}`;
  const spent = `${formatUsd(runSpendSoFar(run).costUsd)} of ${formatUsd(run.budget.runUsd)}`;
  const cells = [issue, code(run.source), state, renderPhase(run), spent, renderPullRequest(run)];
  return `| ${[...cells, renderTime(run.updatedAt)].join(' | ')} |`;
}

/** The phase the run is at (or stopped in) and its batch; `plan` before the first approval. */
function renderPhase(run: Run): string {
  if (run.status.kind === 'awaiting_plan_approval') return 'plan';
  if (run.status.kind === 'done') return renderBatchLabel(run);
  const stage = stageOf(run);
  return stage === null ? '—' : `${STAGE_LABELS[stage]} · ${renderBatchLabel(run)}`;
}

function stageOf(run: Run): Stage | null {
  const status = run.status;
  switch (status.kind) {
    case 'running':
    case 'waiting_for_ci':
    case 'paused':
    case 'failed':
      return status.stage;
    case 'awaiting_approval':
    case 'verifying':
      return status.gate.kind === 'stage' ? status.gate.stage : 'package';
    case 'awaiting_credentials':
      return 'auth';
    case 'awaiting_plan_approval':
    case 'done':
    case 'cancelled':
      return null;
    default:
      return assertNever(status);
  }
}

function renderPullRequest(run: Run): string {
  if (run.pullRequest === null) return '—';
  const link = `[#${run.pullRequest}](${run.repoUrl}/pull/${run.pullRequest})`;
  return run.pullRequestClosed === undefined ? link : `${link} ${run.pullRequestClosed}`;
}

/** `2026-07-01 10:05 UTC`: a fixed format, never a relative time (the body would change by itself). */
function renderTime(iso: string): string {
  const ms = time(iso);
  return Number.isNaN(ms) ? '—' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function time(iso: string): number {
  return Date.parse(iso);
}
