import { addUsage, NO_USAGE, type Run, type Usage } from '../pipeline/run.js';

/** The sum of usage records. */
export function sumUsage(records: Iterable<Usage>): Usage {
  let sum = NO_USAGE;
  for (const record of records) sum = addUsage(sum, record);
  return sum;
}

/**
 * What the run has spent as a person should see it: what its finished jobs were charged plus what
 * its running stage has spent so far (`live`, reported while it runs and not yet charged).
 */
export function runSpendSoFar(run: Run): Usage {
  return sumUsage([run.usage, ...Object.values(run.batch.stages).flatMap((stage) => stage.live ?? [])]);
}
