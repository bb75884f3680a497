import { type ConnectionOptions, type Job, WaitingError, Worker } from 'bullmq';
import { StageHandedOverError } from '../../ports/stage-runner.js';
import { processEventJob } from '../../workers/process-event-job.js';
import { processSelfReviewJob } from '../../workers/process-self-review-job.js';
import {
  processStageJob,
  processStagePartJob,
  processVerificationJob,
} from '../../workers/process-stage-job.js';
import { reportLostJob } from '../../workers/report-lost-job.js';
import type { WorkerDeps } from '../../workers/worker-deps.js';
import { logRedisErrors } from '../redis/connect-redis.js';
import { collectPartResults } from './flow-parts.js';
import { jobLogBindings } from './job-log-bindings.js';
import { failedJob, type LOST_JOB_SWEEP, lostJobKind, startLostJobSweep } from './lost-job-sweep.js';
import {
  attemptsFor,
  JOB_NAMES,
  QUEUE_NAMES,
  type QueueName,
  type WorkerSettings,
  workerSettings,
} from './queues.js';
import { baseJobId, STALLED_FOR_GOOD } from './requeue-lost-event.js';
import { wrapProcessor } from './to-queue-error.js';
import { waitWhenRunLocked } from './wait-when-run-locked.js';

/** The running BullMQ workers of this process. */
export interface BullmqWorkers {
  workers: Worker[];
  /**
   * Stops taking jobs and waits for the running ones (graceful shutdown). A running stage finishes
   * its model call in flight, then goes back to the queue for another worker: a shutdown waits for
   * one model turn, not a whole stage.
   */
  close(): Promise<void>;
}

/** Options of `startBullmqWorkers`. */
export interface BullmqWorkersOptions {
  /** Worker connection (see `workerConnectionOptions`: `maxRetriesPerRequest: null`). */
  connection: ConnectionOptions;
  prefix?: string;
  /** Per-queue overrides of the worker settings (concurrency, stalled-job timings). */
  settings?: Partial<Record<QueueName, Partial<WorkerSettings>>>;
  /** Overrides of the lost-job sweep (`LOST_JOB_SWEEP`): how often, how far back. */
  lostJobSweep?: Partial<typeof LOST_JOB_SWEEP>;
}

/**
 * Starts the `events` worker (the single writer of run state) and the `phases` worker (stage and
 * verification jobs). Every processor error goes through `toQueueError`, the one place that decides
 * between retry and `UnrecoverableError`.
 */
export function startBullmqWorkers(deps: WorkerDeps, options: BullmqWorkersOptions): BullmqWorkers {
  const common = {
    connection: options.connection,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  };
  const events = new Worker(
    QUEUE_NAMES.events,
    wrapProcessor(async (job: Job, token?: string) =>
      waitWhenRunLocked(job, token, () => processEventJob(deps, baseJobId(jobIdOf(job)), job.data)),
    ),
    { ...common, ...workerSettings('events', options.settings?.events) },
  );
  // Aborted by `close()`: running stages stop after their model call in flight and go back to the queue.
  const shutdown = new AbortController();
  const phases = new Worker(
    QUEUE_NAMES.phases,
    wrapProcessor(async (job: Job, token?: string, signal?: AbortSignal) => {
      const abort = signal ?? new AbortController().signal;
      if (job.name === JOB_NAMES.verification) return processVerificationJob(deps, job.data);
      if (job.name === JOB_NAMES.selfReview) {
        const isFinal = job.attemptsMade + 1 >= (job.opts.attempts ?? attemptsFor('phases'));
        return processSelfReviewJob(deps, job.data, { signal: abort, isFinalAttempt: isFinal });
      }
      try {
        if (job.name === JOB_NAMES.stagePart)
          return await processStagePartJob(deps, job.data, abort, shutdown.signal);
        const isFinalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? attemptsFor('phases'));
        return await processStageJob(deps, job.data, {
          signal: abort,
          isFinalAttempt,
          shutdown: shutdown.signal,
          ...(job.name === JOB_NAMES.stageFlow ? { parts: () => collectPartResults(job) } : {}),
        });
      } catch (error) {
        if (!(error instanceof StageHandedOverError)) throw error;
        // Back to waiting without using an attempt: another worker (or this one's successor) takes it.
        await job.moveToWait(token);
        throw new WaitingError();
      }
    }),
    { ...common, ...workerSettings('phases', options.settings?.phases) },
  );
  const workers = [events, phases];
  for (const worker of workers) watch(worker, deps);
  phases.on('stalled', (jobId) => void reportIfLost(phases, jobId, deps));
  const sweep = startLostJobSweep({
    connection: options.connection,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    report: async (lost, jobId) => {
      const outcome = await reportLostJob(deps, lost);
      deps.log.debug({ queue: QUEUE_NAMES.phases, jobId, outcome }, 'Lost-job sweep: reported again');
    },
    log: deps.log,
    ...(options.lostJobSweep === undefined ? {} : { settings: options.lostJobSweep }),
  });
  // An events job failed for stalling is queued again at once (and by the sweep, should this process
  // die first). BullMQ reports a job past its stall limit as `failed`, not `stalled`, so both are heard.
  events.on('stalled', (jobId) => void sweep.requeueIfLost(jobId));
  events.on('failed', (job) => {
    if (job?.id !== undefined && job.failedReason === STALLED_FOR_GOOD) void sweep.requeueIfLost(job.id);
  });
  phases.on('failed', (job) => {
    if (job?.id !== undefined && job.failedReason === STALLED_FOR_GOOD)
      void reportIfLost(phases, job.id, deps);
  });
  return {
    workers,
    async close() {
      shutdown.abort();
      await Promise.all(workers.map((worker) => worker.close()));
      await sweep.stop();
    },
  };
}

function jobIdOf(job: Job): string {
  return job.id ?? `unnamed-${job.name}`;
}

/** Logs every finished job with its run, stage and delivery (never its data) and counts failed attempts. */
function watch(worker: Worker, deps: Pick<WorkerDeps, 'log' | 'metrics'>): void {
  const { log } = deps;
  worker.on('completed', (job, result) => {
    const outcome = typeof result === 'string' ? { result } : {};
    log.info({ ...jobLogBindings(worker.name, job), ...outcome }, 'Job completed');
  });
  worker.on('failed', (job, err) => {
    deps.metrics?.observeJobFailure(err);
    log.warn({ err, ...jobLogBindings(worker.name, job) }, 'Job failed');
  });
  logRedisErrors(worker, log, `worker:${worker.name}`);
}

/**
 * A stalled phases job is either back in the queue (another worker takes it) or, past
 * `maxStalledCount`, failed for good with no processor left to say so: then its run is told
 * (`reportLostJob`), at once here, and again by the lost-job sweep should this process die first.
 * Errors are logged, never thrown: this runs from an event listener.
 */
async function reportIfLost(worker: Worker, jobId: string, deps: WorkerDeps): Promise<void> {
  try {
    const job = await failedJob(worker, jobId);
    if (job === null) return;
    const outcome = await reportLostJob(deps, {
      kind: lostJobKind(job.name),
      data: job.data,
      failedReason: job.failedReason ?? '',
    });
    deps.log.warn({ ...jobLogBindings(worker.name, job), outcome }, 'Lost job reported to its run');
  } catch (err) {
    deps.log.error({ err, queue: worker.name, jobId }, 'Could not report a lost job to its run');
  }
}
