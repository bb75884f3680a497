import { addUsage, NO_USAGE, type Run, type StageRecord, type Usage } from '../pipeline/run.js';

/** The sum of usage records. */
export function sumUsage(records: Iterable<Usage>): Usage {
  let sum = NO_USAGE;
  for (const record of records) sum = addUsage(sum, record);
  return sum;
}

/**
 * What a stage's current attempt has spent so far and not yet been charged (`live`, from
 * `stage_progress`), or `null`; progress of an earlier attempt is not shown.
 */
export function liveSpend(stage: StageRecord): Usage | null {
  return stage.live !== undefined && stage.live.attempt === stage.attempt ? stage.live.usage : null;
}

/**
 * What the run has spent as a person should see it: what its finished jobs were charged plus what
 * its stages' current attempts have spent so far (reported while they run, not yet charged).
 */
export function runSpendSoFar(run: Run): Usage {
  const live = Object.values(run.batch.stages).flatMap((stage) => liveSpend(stage) ?? []);
  return sumUsage([run.usage, ...live]);
}
