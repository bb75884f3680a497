import type { Outcome } from './outcome.js';
import { addUsage, HELD_RESULTS_KEPT, type Run } from './run.js';
import type { StageResultEvent } from './stage-result-events.js';

/** True when the result answers the job the run is waiting for; anything else is stale, duplicate or ahead. */
export function isCurrentResult(run: Run, event: StageResultEvent): boolean {
  return (
    run.status.kind === 'running' &&
    run.status.stage === event.stage &&
    run.batch.number === event.batch &&
    run.batch.stages[event.stage].attempt === event.attempt
  );
}

/**
 * True when a result is for an attempt the run has not asked for yet (a later batch, or a later
 * attempt of its stage in this batch) and the run may still ask for it. That happens when the run
 * was rebuilt from a status comment written before its job was queued: the rebuilt run takes the
 * same steps again and will ask for that attempt, whose job id has already run.
 */
export function isAheadOfRun(run: Run, event: StageResultEvent): boolean {
  if (hasEnded(run)) return false;
  if (event.batch !== run.batch.number) return event.batch > run.batch.number;
  return event.attempt > run.batch.stages[event.stage].attempt;
}

/**
 * Keeps a result ahead of the run until the run asks for its attempt. Its spend is charged when it
 * is applied, or when the run no longer can ask for it (`settleHeldResults`). The newest
 * `HELD_RESULTS_KEPT` are kept; an older one that falls off is charged.
 */
export function holdResult(run: Run, event: StageResultEvent): Outcome {
  const held = [...(run.heldResults ?? []).filter((kept) => kept.id !== event.id), event];
  const dropped = held.slice(0, Math.max(0, held.length - HELD_RESULTS_KEPT));
  const kept = held.slice(dropped.length);
  return {
    run: { ...charged(run, dropped), heldResults: kept },
    effects: [
      {
        type: 'log',
        level: 'info',
        message: 'Kept a stage result the run has not asked for yet; it is applied when the run asks for it',
        details: { stage: event.stage, batch: event.batch, attempt: event.attempt, status: run.status.kind },
      },
    ],
  };
}

/** The held result of the attempt the run is running now, taken out of the run; null when none. */
export function takeHeldResult(run: Run): { run: Run; result: StageResultEvent } | null {
  const held = run.heldResults ?? [];
  const result = held.find((kept) => isCurrentResult(run, kept));
  if (result === undefined) return null;
  return { run: { ...run, heldResults: held.filter((kept) => kept !== result) }, result };
}

/**
 * Charges and drops the held results the run can no longer ask for (it ended, or went past their
 * batch or attempt). Returns the same run when nothing changes.
 */
export function settleHeldResults(run: Run): Run {
  const held = run.heldResults ?? [];
  const settled = held.filter((kept) => !isAheadOfRun(run, kept));
  if (settled.length === 0) return run;
  return { ...charged(run, settled), heldResults: held.filter((kept) => !settled.includes(kept)) };
}

function hasEnded(run: Run): boolean {
  return run.status.kind === 'done' || run.status.kind === 'cancelled';
}

function charged(run: Run, results: StageResultEvent[]): Run {
  if (results.length === 0) return run;
  return { ...run, usage: results.reduce((usage, result) => addUsage(usage, result.usage), run.usage) };
}
