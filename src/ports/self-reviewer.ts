import type { SelfReviewJob } from '../domain/pipeline/jobs.js';
import type { Usage } from '../domain/pipeline/run.js';
import type { CheckResult } from '../domain/review/schema.js';

/** What a self-review produced before scoring: per-check results and the top fixes, or why it failed. */
export type SelfReviewResult =
  /**
   * `model` holds the agent's answers, `bot` the bot's own file checks; the worker merges them (the
   * bot's win, `mergeChecks`) and scores them. The model never scores.
   */
  | { status: 'reviewed'; model: CheckResult[]; bot: CheckResult[]; recommendations: string[]; usage: Usage }
  /** The reviewer gave up or ran out of budget; `reason` is for a maintainer. */
  | { status: 'failed'; reason: string; usage: Usage };

/**
 * Reviews a connector at `job.headSha` with the target repository's rubric, read-only.
 * Implemented by the agent runtime (the self-reviewer agent plus the bot's own file checks);
 * scripted in tests. Infrastructure errors are thrown (the job retries).
 */
export interface SelfReviewer {
  review(job: SelfReviewJob, signal: AbortSignal): Promise<SelfReviewResult>;
}
