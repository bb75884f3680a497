import type { Job, Queue } from 'bullmq';
import type { Logger } from '../../logging.js';
import { jobLogBindings } from './job-log-bindings.js';
import { DEFAULT_JOB_OPTIONS, QUEUE_NAMES } from './queues.js';

/** BullMQ's reason for a job it failed because its worker stalled more often than `maxStalledCount`. */
export const STALLED_FOR_GOOD = 'job stalled more than allowable limit';

/** How many times an events job lost to stalls is queued again before it is given up. */
export const MAX_REQUEUES = 3;

const AGAIN = /~again-(\d+)$/;

/** The job id without its requeue suffix: what the job's work is keyed by (event ids, logs). */
export function baseJobId(jobId: string): string {
  return jobId.replace(AGAIN, '');
}

/** The id of the next requeue of `jobId` (`<id>~again-<n>`), or `null` once `MAX_REQUEUES` are spent. */
export function requeueJobId(jobId: string): string | null {
  const times = Number(AGAIN.exec(jobId)?.[1] ?? 0);
  return times >= MAX_REQUEUES ? null : `${baseJobId(jobId)}~again-${times + 1}`;
}

/**
 * An events job BullMQ failed for good because the processes running it died too often (a crash
 * loop, a host lost several times) would be lost with it: a request never planned, a command never
 * applied. Events jobs are idempotent (a run applies each event id once; `baseJobId` keeps the id
 * stable), so such a job is queued again under a new id and the failed one removed, at most
 * `MAX_REQUEUES` times; after that it is given up with an error line. Add first, then remove: a
 * crash between the two leaves the failed job, and the next sweep's add of the same id is a no-op.
 */
export async function requeueLostEventJob(
  queue: Queue,
  job: Job,
  log: Logger,
): Promise<'requeued' | 'given_up' | 'not_lost'> {
  if (job.failedReason !== STALLED_FOR_GOOD || job.id === undefined) return 'not_lost';
  const next = requeueJobId(job.id);
  const bindings = jobLogBindings(QUEUE_NAMES.events, job);
  if (next === null) {
    log.error(
      bindings,
      `An events job was lost to stalled workers ${MAX_REQUEUES + 1} times over and is given up: resend its webhook to try again`,
    );
    await job.remove();
    return 'given_up';
  }
  await queue.add(job.name, job.data, { ...DEFAULT_JOB_OPTIONS.events, jobId: next });
  await job.remove();
  log.warn({ ...bindings, requeuedAs: next }, 'An events job lost to stalled workers was queued again');
  return 'requeued';
}
