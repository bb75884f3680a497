import { STAGE_LABELS, STAGES, type Stage } from '../../domain/pipeline/phase.js';
import { type Run, totalTokens, type Usage } from '../../domain/pipeline/run.js';
import { formatDuration } from '../../domain/render/format.js';

/** `12,345 tokens · $0.0123`. */
export function renderUsage(usage: Usage): string {
  return `${totalTokens(usage).toLocaleString('en-US')} tokens · $${usage.costUsd.toFixed(4)}`;
}

/**
 * The progress lines for what changed between two saved states of a run (`before` null: the run is
 * new): a stage starting, a stage's commit with the attempt's time, tokens and cost and the run's
 * totals, CI runs starting and ending, and the run stopping (failed, paused, cancelled, done). Pure,
 * so the same states always print the same lines, and a state seen again prints nothing. The
 * regenerated merged source a package run commits moves the stage's head within the same attempt:
 * `drive-run.ts` says so, and it is not printed again as a commit of the stage.
 */
export function renderProgress(before: Run | null, after: Run): string[] {
  const lines: string[] = [];
  if (before === null)
    lines.push(`Planned ${after.source} on branch ${after.branch} (batch ${after.batch.number}).`);
  const sameBatch = before !== null && before.batch.number === after.batch.number;
  if (before !== null && !sameBatch)
    lines.push(`Batch ${after.batch.number}: ${after.batch.tables.join(', ')}.`);
  const started: string[] = [];
  for (const ci of after.ciRuns) {
    const was = before?.ciRuns.find((record) => record.runKey === ci.runKey);
    if (was === undefined && ci.conclusion === 'pending')
      started.push(`▶ ${label(ci.stage)}: local CI (${ci.mode})…`);
    if (ci.conclusion !== 'pending' && was?.conclusion !== ci.conclusion) {
      const mark = ci.conclusion === 'success' ? '✓' : '✗';
      lines.push(
        `${mark} ${label(ci.stage)}: CI ${ci.mode} ${ci.conclusion}: ${ci.passed} passed, ${ci.failed} failed`,
      );
    }
  }
  for (const stage of STAGES) {
    const was = sameBatch ? before.batch.stages[stage] : null;
    const now = after.batch.stages[stage];
    if (now.state === 'running' && (was?.state !== 'running' || was.attempt !== now.attempt)) {
      lines.push(`▶ ${label(stage)}: running (attempt ${now.attempt})…`);
    }
    const regenerated = was !== null && was.commitSha !== null && was.attempt === now.attempt;
    if (now.commitSha !== null && now.commitSha !== (was?.commitSha ?? null) && !regenerated) {
      const took = formatDuration(now.durationMs - (was?.durationMs ?? 0));
      lines.push(
        `✓ ${label(stage)}: committed ${now.commitSha.slice(0, 7)} in ${took} · ${renderUsage(now.usage)} (run: ${renderUsage(after.usage)})`,
      );
    }
  }
  lines.push(...started, ...renderStop(before, after));
  return lines;
}

/** What the run is busy with, for the ticker: `key` changes when a new step starts (its clock restarts). */
export interface Activity {
  readonly key: string;
  readonly text: string;
}

/**
 * What a run is doing while nobody has to answer: a stage's attempt running (with what it has
 * spent so far, once the stage reported it), a local CI run, a re-check; `null` at a gate or stop.
 */
export function describeActivity(run: Run): Activity | null {
  const status = run.status;
  const batch = run.batch.number;
  switch (status.kind) {
    case 'running': {
      const record = run.batch.stages[status.stage];
      const live = record.live?.attempt === record.attempt ? record.live.usage : null;
      const spent = live === null ? '' : ` · $${live.costUsd.toFixed(2)} so far`;
      return {
        key: `b${batch}-${status.stage}-a${record.attempt}`,
        text: `${label(status.stage)}: running (attempt ${record.attempt})${spent}`,
      };
    }
    case 'waiting_for_ci':
      return { key: status.runKey, text: `${label(status.stage)}: local CI (${status.mode})` };
    case 'verifying': {
      const stage = status.gate.kind === 'stage' ? status.gate.stage : 'package';
      return {
        key: `b${batch}-verify-${status.headSha}`,
        text: `${label(stage)}: re-checking the branch head`,
      };
    }
    default:
      return null;
  }
}

function renderStop(before: Run | null, after: Run): string[] {
  const status = after.status;
  if (before !== null && JSON.stringify(before.status) === JSON.stringify(status)) return [];
  switch (status.kind) {
    case 'failed':
      return [`✗ ${label(status.stage)} failed: ${status.reason}`];
    case 'paused':
      return [
        `⏸ ${label(status.stage)}: the ${status.budget} budget is spent ($${status.spentUsd.toFixed(4)} of $${status.limitUsd.toFixed(2)}).`,
      ];
    case 'cancelled':
      return [`■ Cancelled (run: ${renderUsage(after.usage)}).`];
    case 'done':
      return [
        `✓ Done: ${after.completedTables.join(', ') || 'no tables'} on ${after.branch} (run: ${renderUsage(after.usage)}).`,
      ];
    default:
      return [];
  }
}

function label(stage: Stage): string {
  return STAGE_LABELS[stage];
}
