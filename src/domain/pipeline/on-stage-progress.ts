import type { RunEvent } from './events.js';
import type { Outcome } from './outcome.js';
import { unchanged } from './outcome.js';
import { updateStage } from './progress.js';
import type { Run } from './run.js';

type ProgressEvent = Extract<RunEvent, { type: 'stage_progress' }>;

/**
 * A running stage job reported its spend so far: kept on the stage (`live`) for the status comment.
 * Progress of any job but the one the run waits for, or older than what is shown, changes nothing.
 */
export function onStageProgress(run: Run, event: ProgressEvent): Outcome {
  const record = run.batch.stages[event.stage];
  const current =
    run.status.kind === 'running' &&
    run.status.stage === event.stage &&
    run.batch.number === event.batch &&
    record.state === 'running' &&
    record.attempt === event.attempt;
  const shown = record.live?.attempt === event.attempt ? record.live.usage.costUsd : -1;
  if (!current || shown >= event.spentSoFar.costUsd) {
    return unchanged(run, {
      type: 'log',
      level: 'info',
      message: 'Ignored stage progress the run does not show',
      details: { stage: event.stage, batch: event.batch, attempt: event.attempt, status: run.status.kind },
    });
  }
  return {
    run: updateStage(run, event.stage, { live: { attempt: event.attempt, usage: event.spentSoFar } }),
    effects: [],
  };
}
