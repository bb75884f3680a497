import type { Usage } from '../domain/pipeline/run.js';

/**
 * What every stage job has spent on the model, turn by turn, across all its attempts (retries,
 * stalled-job recoveries, crashed and cancelled attempts included). The stage job writes it as it
 * spends and reports its total once, in the job's result event: the run is charged from it.
 */
export interface SpendLedger {
  /** Adds one model turn of `jobId`; a `turnId` already recorded is ignored (a retried write). */
  record(jobId: string, turnId: string, usage: Usage): Promise<void>;
  /** Everything recorded for `jobId`, and how many turns that is. */
  total(jobId: string): Promise<{ usage: Usage; turns: number }>;
}
