import type { DefaultJobOptions, RedisOptions, WorkerOptions } from 'bullmq';
import { z } from 'zod';
import { InvariantError } from '../../errors.js';

/**
 * The BullMQ queues (AGENTS.md, How it runs). Names contain no `:` (BullMQ refuses them).
 * - `events`: webhooks, commands and stage results; one writer of run state (per-run lock).
 * - `phases`: long agent jobs. Stage jobs (job name `stage`) and re-checks of a stage on a moved
 *   head (job name `verification`) share it: both run a stage's checks on the branch, use the
 *   same worker pool and concurrency, and a third queue would add a worker and a connection
 *   for a rare job.
 */
export const QUEUE_NAMES = { events: 'events', phases: 'phases' } as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/**
 * Job names, per queue: the processor of `phases` switches on them. A stage with parallel parts
 * (`docs_spec`) is a flow: a `stage-flow` parent whose `stage-part` children each run one agent;
 * the parent verifies their changes together and commits once. The self-review of a packaged head
 * (`self-review`) is a `phases` job too: an agent run, read-only.
 */
export const JOB_NAMES = {
  event: 'event',
  stage: 'stage',
  stageFlow: 'stage-flow',
  stagePart: 'stage-part',
  verification: 'verification',
  selfReview: 'self-review',
} as const;
export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

const HOUR_S = 60 * 60;
const DAY_S = 24 * HOUR_S;

/**
 * Job options per queue, set as each `Queue`'s `defaultJobOptions`.
 *
 * Dedupe relies on finished jobs being kept: adding an id that is still stored (waiting, active,
 * completed or failed) is a no-op, but once a finished job is removed its id is free again and a
 * redelivery would run it a second time. So finished jobs are kept by age, well past 24 h:
 * - `events`: 3 days completed (GitHub lets a delivery be redelivered for 3 days; the run's
 *   `appliedEventIds` is the second line of defence), 14 days failed (for operators). Count caps
 *   bound memory: a burst may evict early, which is why the run store dedupes as well.
 *   5 attempts, exponential from 1 s (1, 2, 4, 8 s): conflicts and GitHub blips clear fast.
 * - `phases`: 30 days completed and failed; a stage job costs money, and a replayed
 *   `enqueue_stage` of an attempt that already ran must stay a no-op while a run sits at a gate.
 *   3 attempts, exponential from 30 s, so a model outage is waited out rather than hammered.
 *
 * A failed job keeps its id too: a redelivered webhook for it is a no-op; `/retry` makes new ids.
 * Eviction is best-effort: BullMQ trims when another job of the same queue finishes.
 */
export const DEFAULT_JOB_OPTIONS: Readonly<Record<QueueName, DefaultJobOptions>> = Object.freeze({
  events: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 3 * DAY_S, count: 20_000 },
    removeOnFail: { age: 14 * DAY_S, count: 5_000 },
  },
  phases: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 30_000 },
    removeOnComplete: { age: 30 * DAY_S, count: 10_000 },
    removeOnFail: { age: 30 * DAY_S, count: 10_000 },
  },
});

/** Attempts per queue, for the in-memory queue to follow the same policy. */
export function attemptsFor(queue: QueueName): number {
  return DEFAULT_JOB_OPTIONS[queue].attempts ?? 1;
}

/** The worker settings that govern stalled-job recovery (a worker that died mid-job). */
export interface WorkerSettings {
  /** How long a job's lock lives without renewal (renewed every half of it while the job runs), ms. */
  lockDuration: number;
  /** How often workers look for jobs whose lock expired and move them back to wait, ms. */
  stalledInterval: number;
  /** How many times a job may stall before it fails for good. */
  maxStalledCount: number;
  /** Jobs one worker runs at a time. */
  concurrency: number;
}

/**
 * Production defaults. Events are short: a 15 s lock (renewed every 7.5 s) and a check every 10 s
 * find a dead worker's job within about 25 s of the next worker's uptime (BullMQ moves a job back
 * after two checks have seen it without a lock, so a 30 s interval needed a minute, longer than a
 * process in a crash loop lives). An event job is idempotent (the run applies each event id once, every write finds what
 * it wrote), so one that stalled is run again up to four times: a stage's result must not be lost
 * because two workers died while it was being applied (the chaos suite's kills in a row did that
 * with a limit of one). Phase jobs are long and renew their lock while running; a 60 s lock tolerates a busy
 * event loop, checked every 15 s, and `maxStalledCount: 3` lets a phase survive three crashed workers (a
 * deploy, a crash loop: every process death stalls every phase it was running, not only one run's)
 * before it fails; its commits are compare-and-set, so a re-run does not commit twice.
 */
export const DEFAULT_WORKER_SETTINGS: Readonly<Record<QueueName, WorkerSettings>> = Object.freeze({
  events: { lockDuration: 15_000, stalledInterval: 10_000, maxStalledCount: 4, concurrency: 4 },
  phases: { lockDuration: 60_000, stalledInterval: 15_000, maxStalledCount: 3, concurrency: 2 },
});

/** Worker options for `queue`: production defaults, overridable (tests use short timings). */
export function workerSettings(
  queue: QueueName,
  overrides: Partial<WorkerSettings> = {},
): Pick<WorkerOptions, keyof WorkerSettings> {
  return { ...DEFAULT_WORKER_SETTINGS[queue], ...overrides };
}

/**
 * Connection for producers (`Queue`): a few retries per command, so an enqueue from a webhook
 * handler fails within its time limit instead of hanging while Redis is away.
 */
export function queueConnectionOptions(redisUrl: string): RedisOptions {
  return { url: redisUrl, maxRetriesPerRequest: 3 };
}

/** Connection for `Worker`s and `QueueEvents`: blocking commands must retry forever (BullMQ requires `null`). */
export function workerConnectionOptions(redisUrl: string): RedisOptions {
  return { url: redisUrl, maxRetriesPerRequest: null };
}

/**
 * Throws `InvariantError` for an id BullMQ would refuse or misread: ids are built by code, so a
 * bad one is a bug. BullMQ rejects `:` (mostly; `a:b:c` slips through as a legacy repeat id) and
 * all-digit ids, which collide with its own counter ids.
 */
export function assertJobId(jobId: string): void {
  if (jobId.length === 0 || jobId.length > 500) {
    throw new InvariantError(`Job id must have 1 to 500 characters, got ${jobId.length}`);
  }
  if (jobId.includes(':')) throw new InvariantError(`Job id "${jobId}" contains ':', which BullMQ refuses`);
  if (/^\d+$/.test(jobId)) throw new InvariantError(`Job id "${jobId}" is all digits, which BullMQ refuses`);
}

/** Parses job data with its schema before it is enqueued; bad data is a bug, never written. */
export function parseJobData<S extends z.ZodType>(schema: S, data: unknown, jobId: string): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new InvariantError(
      `Refusing to enqueue job ${jobId}: invalid data\n${z.prettifyError(result.error)}`,
      {
        cause: result.error,
      },
    );
  }
  return result.data;
}
