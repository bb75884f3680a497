import type { RunEvent } from '../domain/pipeline/events.js';
import { SelfReviewJob } from '../domain/pipeline/jobs.js';
import { headOf } from '../domain/pipeline/progress.js';
import { NO_USAGE, type Usage } from '../domain/pipeline/run.js';
import { buildSelfReview } from '../domain/review/build-self-review.js';
import type { SelfReviewOutcome } from '../domain/review/schema.js';
import { InvariantError, isRetryable } from '../errors.js';
import type { SelfReviewResult } from '../ports/self-reviewer.js';
import type { WorkerDeps } from './worker-deps.js';

/** True while the run exists, is not cancelled and its head is still the one to review. */
async function isStillWanted(deps: WorkerDeps, job: SelfReviewJob): Promise<boolean> {
  const stored = await deps.store.load(job.ref);
  return stored !== null && stored.run.status.kind !== 'cancelled' && headOf(stored.run) === job.headSha;
}

/**
 * The `phases` processor for self-review jobs: reviews the head through the `SelfReviewer`, puts the
 * bot's file checks over the model's answers and scores them (the model never scores), then reports
 * `self_review_completed` through the events queue (id `<job id>-result`). A review that fails, or
 * a job that crashes for good, reports a failed review, so the sticky comment says so.
 */
export async function processSelfReviewJob(
  deps: WorkerDeps,
  data: unknown,
  context: { signal: AbortSignal; isFinalAttempt: boolean },
): Promise<string> {
  const parsed = SelfReviewJob.safeParse(data);
  if (!parsed.success) throw new InvariantError(`Self-review job has invalid data: ${parsed.error.message}`);
  const job = parsed.data;
  const log = deps.log.child({ jobId: job.jobId, issue: job.ref.issue, headSha: job.headSha });
  if (!(await isStillWanted(deps, job))) {
    log.info('Self-review job is for a head the run has moved past; skipped');
    return 'skipped';
  }
  let result: SelfReviewResult;
  try {
    result = await deps.selfReviewer.review(job, context.signal);
  } catch (error) {
    if (context.isFinalAttempt || !isRetryable(error)) {
      const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const reason = `the review job stopped on an infrastructure error and was not retried again: ${cause}`;
      await report(deps, job, { status: 'failed', reason: reason.slice(0, 2_000) }, NO_USAGE);
    }
    throw error;
  }
  const review: SelfReviewOutcome =
    result.status === 'reviewed'
      ? buildSelfReview({ model: result.model, bot: result.bot, recommendations: result.recommendations })
      : { status: 'failed', reason: result.reason.slice(0, 2_000) };
  await report(deps, job, review, result.usage);
  const verdict = review.status === 'reviewed' ? `${review.verdict} ${review.score}` : 'failed';
  log.info({ verdict, costUsd: result.usage.costUsd }, 'Self-review job finished');
  return verdict;
}

async function report(deps: WorkerDeps, job: SelfReviewJob, review: SelfReviewOutcome, usage: Usage) {
  const event: RunEvent = {
    type: 'self_review_completed',
    id: `${job.jobId}-result`,
    batch: job.batch,
    headSha: job.headSha,
    usage,
    review,
  };
  await deps.jobs.enqueueEvent(event.id, { kind: 'run_event', ref: job.ref, event });
}
