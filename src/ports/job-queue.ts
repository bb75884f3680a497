import type { SelfReviewJob, StageJob, VerificationJob } from '../domain/pipeline/jobs.js';
import type { RunRef } from '../domain/pipeline/run.js';
import type { EventJob } from '../workers/event-job.js';

/** How `enqueueEvent` places a job. */
export interface EnqueueEventOptions {
  /** Milliseconds before the job may run (0: at once). */
  delayMs?: number;
  /**
   * Jobs of one key never run side by side, and at most one waits: while one waits (or is
   * delayed), this enqueue is a no-op; while one runs, this job is kept and queued (with its delay)
   * once that one has ended, a later enqueue replacing it. So work that reads the latest state (the
   * dashboard issue) runs once for a burst of changes and never misses one made while it ran. The
   * key follows the job id rules (no `:`).
   */
  coalesceKey?: string;
}

/**
 * The queues the bot runs on: `events` (one writer of run state) and `phases` (long stage jobs).
 * Implemented by BullMQ, and in memory for the local CLI and fast tests.
 *
 * Every enqueue is idempotent: the job id is deterministic (delivery id for events,
 * `owner-repo-issue-bN-stage-aM` for stages), and adding an id that exists is a no-op.
 */
export interface JobQueue {
  /** Queues an event for the events worker under `jobId`. */
  enqueueEvent(jobId: string, job: EventJob, options?: EnqueueEventOptions): Promise<void>;
  /** Queues a stage job on the `phases` queue under `job.jobId`. */
  enqueueStage(job: StageJob): Promise<void>;
  /** Queues the re-check of a stage on a moved head. */
  enqueueVerification(job: VerificationJob): Promise<void>;
  /** Queues the self-review of a packaged head on the `phases` queue under `job.jobId`. */
  enqueueSelfReview(job: SelfReviewJob): Promise<void>;
  /** Removes this run's jobs that have not started; running jobs finish and their results are ignored. */
  cancelRunJobs(ref: RunRef): Promise<number>;
}
