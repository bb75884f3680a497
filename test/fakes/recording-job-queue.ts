import { SelfReviewJob, type StageJob, type VerificationJob } from '../../src/domain/pipeline/jobs.js';
import type { RunRef } from '../../src/domain/pipeline/run.js';
import type { EnqueueEventOptions, JobQueue } from '../../src/ports/job-queue.js';
import { EventJob } from '../../src/workers/event-job.js';

/** A `JobQueue` that records what handlers enqueue (parsed like the real one, deduplicated by id). */
export class RecordingJobQueue implements JobQueue {
  readonly events = new Map<string, EventJob>();
  /** The options of each recorded event job that had any (delay, coalesce key). */
  readonly eventOptions = new Map<string, EnqueueEventOptions>();
  readonly stages: StageJob[] = [];

  async enqueueEvent(jobId: string, job: EventJob, options?: EnqueueEventOptions): Promise<void> {
    if (jobId.includes(':')) throw new Error(`job id ${jobId} contains ':'`);
    if (this.events.has(jobId)) return;
    this.events.set(jobId, EventJob.parse(job));
    if (options !== undefined) this.eventOptions.set(jobId, options);
  }

  async enqueueStage(job: StageJob): Promise<void> {
    this.stages.push(job);
  }

  readonly verifications: VerificationJob[] = [];

  async enqueueVerification(job: VerificationJob): Promise<void> {
    this.verifications.push(job);
  }

  readonly selfReviews: SelfReviewJob[] = [];

  async enqueueSelfReview(job: SelfReviewJob): Promise<void> {
    this.selfReviews.push(SelfReviewJob.parse(job));
  }

  async cancelRunJobs(_ref: RunRef): Promise<number> {
    return 0;
  }

  /** The recorded event jobs, in order. */
  list(): EventJob[] {
    return [...this.events.values()];
  }
}
