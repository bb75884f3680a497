import { assertNever } from '../../domain/assert-never.js';
import { SelfReviewJob, StageJob, VerificationJob } from '../../domain/pipeline/jobs.js';
import { isSameRun } from '../../domain/pipeline/run.js';
import { InvariantError, isRetryable } from '../../errors.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import type { JobQueue } from '../../ports/job-queue.js';
import { EventJob } from '../../workers/event-job.js';
import { assertJobId, attemptsFor, JOB_NAMES, type JobName, parseJobData, type QueueName } from './queues.js';

/** What a handler learns about the job it runs. */
export interface JobContext {
  jobId: string;
  /** Attempts made before this one (0 on the first run), as BullMQ's `attemptsMade`. */
  attemptsMade: number;
}

/** One handler per job name, as the BullMQ workers have. */
export interface JobHandlers {
  event(job: EventJob, context: JobContext): Promise<void>;
  stage(job: StageJob, context: JobContext): Promise<void>;
  verification(job: VerificationJob, context: JobContext): Promise<void>;
  selfReview(job: SelfReviewJob, context: JobContext): Promise<void>;
}

/** A job that failed for good, with the error of its last attempt. */
export interface FailedJob {
  jobId: string;
  name: JobName;
  error: Error;
}

/** The in-memory `JobQueue` for the local CLI and fast tests. */
export interface InMemoryJobQueue extends JobQueue {
  /** Registers the handlers `drain` calls. */
  process(handlers: JobHandlers): void;
  /**
   * Runs queued jobs in FIFO order, including jobs the handlers enqueue, until none is ready.
   * Delayed jobs are ready once the clock reaches them, or at once with `includeDelayed`.
   * Never call it from a handler: it waits for the drain that runs the handler.
   */
  drain(options?: { includeDelayed?: boolean }): Promise<void>;
  /** Jobs that failed for good, oldest first. */
  failed(): FailedJob[];
}

type Entry =
  | { name: 'event'; data: EventJob }
  | { name: 'stage'; data: StageJob }
  | { name: 'verification'; data: VerificationJob }
  | { name: 'self-review'; data: SelfReviewJob };

interface Stored {
  key: string;
  jobId: string;
  entry: Entry;
  readyAt: number;
  seq: number;
  attemptsMade: number;
  state: 'queued' | 'active' | 'completed' | 'failed';
  /** `EnqueueEventOptions.coalesceKey`, when it was given. */
  coalesceKey?: string;
}

/** A job kept for its coalesce key while another of that key runs, queued once that one has ended. */
interface KeptJob {
  jobId: string;
  entry: Entry;
  delayMs: number;
}

/** A runaway guard: a handler that keeps enqueueing new ids would otherwise never let `drain` end. */
const MAX_JOBS_PER_DRAIN = 10_000;

/**
 * Creates the in-memory queue. It follows the BullMQ one: data is parsed and ids checked before
 * adding; an id already seen on its queue is a no-op, also after it completed or failed; attempts
 * per queue come from `DEFAULT_JOB_OPTIONS`; a non-retryable `BotError` fails at once. Retries go
 * to the back of the line without backoff (time here is the injected clock, which tests move).
 * Events with a coalesce key follow BullMQ's deduplication with `keepLastIfActive`: one waits at
 * most, and one added while another of its key runs is queued when that one has ended.
 */
export function createInMemoryJobQueue(options: { clock?: Clock } = {}): InMemoryJobQueue {
  const clock = options.clock ?? systemClock;
  const jobs = new Map<string, Stored>();
  const failures: FailedJob[] = [];
  let handlers: JobHandlers | null = null;
  let seq = 0;
  let draining: Promise<void> = Promise.resolve();
  const kept = new Map<string, KeptJob>();

  function add(jobId: string, entry: Entry, delayMs = 0, coalesceKey?: string): void {
    const key = `${queueOf(entry.name)}/${jobId}`;
    if (jobs.has(key)) return;
    if (coalesceKey !== undefined) {
      const holder = [...jobs.values()].find(
        (job) => job.coalesceKey === coalesceKey && (job.state === 'queued' || job.state === 'active'),
      );
      if (holder?.state === 'queued') return;
      if (holder?.state === 'active') {
        kept.set(coalesceKey, { jobId, entry, delayMs });
        return;
      }
    }
    seq += 1;
    const readyAt = clock.now().getTime() + Math.max(0, delayMs);
    jobs.set(key, {
      key,
      jobId,
      entry,
      readyAt,
      seq,
      attemptsMade: 0,
      state: 'queued',
      ...(coalesceKey === undefined ? {} : { coalesceKey }),
    });
  }

  /** Queues the job kept for `job`'s coalesce key once `job` has ended for good. */
  function releaseKept(job: Stored): void {
    if (job.coalesceKey === undefined) return;
    const next = kept.get(job.coalesceKey);
    if (next === undefined) return;
    kept.delete(job.coalesceKey);
    add(next.jobId, next.entry, next.delayMs, job.coalesceKey);
  }

  function nextReady(includeDelayed: boolean): Stored | undefined {
    const now = clock.now().getTime();
    let next: Stored | undefined;
    for (const job of jobs.values()) {
      if (job.state !== 'queued' || (!includeDelayed && job.readyAt > now)) continue;
      if (next === undefined || job.seq < next.seq) next = job;
    }
    return next;
  }

  async function runOne(job: Stored, registered: JobHandlers): Promise<void> {
    job.state = 'active';
    const context = { jobId: job.jobId, attemptsMade: job.attemptsMade };
    try {
      await callHandler(registered, job.entry, context);
      job.state = 'completed';
      releaseKept(job);
    } catch (error) {
      job.attemptsMade += 1;
      const err = error instanceof Error ? error : new Error(String(error), { cause: error });
      if (isRetryable(error) && job.attemptsMade < attemptsFor(queueOf(job.entry.name))) {
        seq += 1;
        job.state = 'queued';
        job.seq = seq;
        return;
      }
      job.state = 'failed';
      failures.push({ jobId: job.jobId, name: job.entry.name, error: err });
      releaseKept(job);
    }
  }

  async function drainOnce(includeDelayed: boolean): Promise<void> {
    const registered = handlers;
    if (registered === null) throw new InvariantError('drain() called before process(handlers)');
    for (let ran = 0; ; ran += 1) {
      const job = nextReady(includeDelayed);
      if (job === undefined) return;
      if (ran >= MAX_JOBS_PER_DRAIN) throw new InvariantError(`drain() ran ${ran} jobs and still has more`);
      await runOne(job, registered);
    }
  }

  return {
    async enqueueEvent(jobId, job, enqueueOptions = {}) {
      assertJobId(jobId);
      if (enqueueOptions.coalesceKey !== undefined) assertJobId(enqueueOptions.coalesceKey);
      const entry = { name: JOB_NAMES.event, data: parseJobData(EventJob, job, jobId) } as const;
      add(jobId, entry, enqueueOptions.delayMs, enqueueOptions.coalesceKey);
    },
    async enqueueStage(job) {
      assertJobId(job.jobId);
      add(job.jobId, { name: JOB_NAMES.stage, data: parseJobData(StageJob, job, job.jobId) });
    },
    async enqueueVerification(job) {
      assertJobId(job.jobId);
      add(job.jobId, { name: JOB_NAMES.verification, data: parseJobData(VerificationJob, job, job.jobId) });
    },
    async enqueueSelfReview(job) {
      assertJobId(job.jobId);
      add(job.jobId, { name: JOB_NAMES.selfReview, data: parseJobData(SelfReviewJob, job, job.jobId) });
    },
    async cancelRunJobs(ref) {
      // As on BullMQ: queued phase jobs go; of events only the delayed ones (the run's timers).
      const now = clock.now().getTime();
      let removed = 0;
      for (const job of jobs.values()) {
        const data = job.entry.data;
        if (job.state !== 'queued' || !('ref' in data) || !isSameRun(data.ref, ref)) continue;
        if (job.entry.name === JOB_NAMES.event && job.readyAt <= now) continue;
        jobs.delete(job.key);
        removed += 1;
      }
      return removed;
    },
    process(registered) {
      handlers = registered;
    },
    drain(drainOptions = {}) {
      // Calls made while a drain runs wait for it, then drain again: one job runs at a time.
      draining = draining.catch(() => undefined).then(() => drainOnce(drainOptions.includeDelayed ?? false));
      return draining;
    },
    failed() {
      return [...failures];
    },
  };
}

function queueOf(name: JobName): QueueName {
  return name === JOB_NAMES.event ? 'events' : 'phases';
}

function callHandler(registered: JobHandlers, entry: Entry, context: JobContext): Promise<void> {
  switch (entry.name) {
    case 'event':
      return registered.event(entry.data, context);
    case 'stage':
      return registered.stage(entry.data, context);
    case 'verification':
      return registered.verification(entry.data, context);
    case 'self-review':
      return registered.selfReview(entry.data, context);
    default:
      return assertNever(entry);
  }
}
