import { unique } from '../unique.js';
import type { Effect } from './effects.js';
import { type SelfReviewJob, selfReviewJobId } from './jobs.js';
import { type Run, totalTokens } from './run.js';

/**
 * The effects that start the self-review of a packaged batch at the branch head, when the
 * repository has `selfReview` on. The review never gates the run: it is queued beside whatever the
 * run does next, and its result only edits the sticky comment and the label. With the run budget
 * spent, nothing is queued and the comment says why. `headSha` is the run's head (`headOf`).
 */
export function requestSelfReview(run: Run, headSha: string | null): Effect[] {
  if (!run.settings.selfReview || headSha === null) return [];
  const runBudgetLeftUsd = Math.max(0, run.budget.runUsd - run.usage.costUsd);
  const runTokensLeft = Math.max(0, run.budget.runTokens - totalTokens(run.usage));
  if (runBudgetLeftUsd === 0 || runTokensLeft === 0) {
    return [
      {
        type: 'post_self_review',
        batch: run.batch.number,
        headSha,
        review: { status: 'failed', reason: 'the run budget is spent, so the review was not started.' },
      },
    ];
  }
  const job: SelfReviewJob = {
    jobId: selfReviewJobId(run.ref, run.batch.number, headSha),
    ref: run.ref,
    source: run.source,
    branch: run.branch,
    batch: run.batch.number,
    tables: unique([...run.completedTables, ...run.batch.tables]),
    headSha,
    budgetUsd: run.budget.stageUsd,
    runBudgetLeftUsd,
    budgetTokens: run.budget.stageTokens,
    runTokensLeft,
    layout: run.settings.layout,
  };
  return [{ type: 'enqueue_self_review', job }];
}
