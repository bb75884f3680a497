import { StageHandedOverError } from '../../ports/stage-runner.js';
import { processEventJob } from '../../workers/process-event-job.js';
import { processSelfReviewJob } from '../../workers/process-self-review-job.js';
import { processStageJob, processVerificationJob } from '../../workers/process-stage-job.js';
import type { WorkerDeps } from '../../workers/worker-deps.js';
import type { JobContext, JobHandlers } from '../queue/in-memory-job-queue.js';
import { attemptsFor } from '../queue/queues.js';

/**
 * The job handlers of the embedded queue: the processors the BullMQ workers run, one job at a time
 * per lane. `shutdown` is aborted on close: a running stage stops after its model call in flight
 * and its job stays in the journal for the next start (it finds its commit if it made one).
 */
export function embeddedHandlers(deps: WorkerDeps, shutdown: AbortSignal): JobHandlers {
  // As on BullMQ: a job's own signal aborts only that job (never here); shutdown hands a stage over.
  const never = new AbortController().signal;
  const isFinalAttempt = (context: JobContext) => context.attemptsMade + 1 >= attemptsFor('phases');
  return {
    event: async (job, context) => {
      await processEventJob(deps, context.jobId, job);
    },
    stage: async (job, context) => {
      try {
        await processStageJob(deps, job, {
          signal: never,
          isFinalAttempt: isFinalAttempt(context),
          shutdown,
        });
      } catch (error) {
        // Handed over on shutdown: nothing to report; the journal keeps the job for the next start.
        if (!(error instanceof StageHandedOverError && shutdown.aborted)) throw error;
      }
    },
    verification: async (job) => {
      await processVerificationJob(deps, job);
    },
    selfReview: async (job, context) => {
      await processSelfReviewJob(deps, job, { signal: never, isFinalAttempt: isFinalAttempt(context) });
    },
  };
}
