import { DelayedError, type Job } from 'bullmq';
import { RunLockedError } from '../../errors.js';

/**
 * How many starts a job may have in all before a locked run counts against its attempts like any
 * other failure: about five minutes of waiting (each start waits up to the lock wait, then 1–4 s).
 */
export const MAX_STARTS_WHILE_LOCKED = 40;

/**
 * Runs an events job; when its run stayed locked by another job for the whole lock wait
 * (`RunLockedError`), puts the job back to wait 1–4 s (BullMQ's `moveToDelayed` + `DelayedError`),
 * which spends none of its attempts: a busy run is no reason to drop a maintainer's command after
 * five tries. Past `MAX_STARTS_WHILE_LOCKED` starts the error goes up as usual.
 */
export async function waitWhenRunLocked<R>(
  job: Job,
  token: string | undefined,
  process: () => Promise<R>,
): Promise<R> {
  try {
    return await process();
  } catch (error) {
    if (
      !(error instanceof RunLockedError) ||
      token === undefined ||
      job.attemptsStarted >= MAX_STARTS_WHILE_LOCKED
    )
      throw error;
    await job.moveToDelayed(Date.now() + 1_000 + Math.floor(Math.random() * 3_000), token);
    throw new DelayedError();
  }
}
