import type { RequestFieldError } from '../intake/schema.js';
import type { Summary } from '../pipeline/effects.js';
import type { Run } from '../pipeline/run.js';
import { renderPlanComment } from './plan-comment.js';
import { renderRequestErrors } from './request-errors.js';
import { renderSelfReviewComment, type SelfReviewCommentParams } from './self-review-comment.js';
import { renderSummary } from './summary.js';

/**
 * How the bot's comments are written from their facts: the plan, the summaries, the self-review,
 * the request errors and the replies. The status comment is not among them: it always carries the
 * run's state marker in GitHub markdown.
 */
export interface CommentRenderer {
  readonly plan: (run: Run) => string;
  /** `run` is the run after the transition that posted the summary. */
  readonly summary: (run: Run, summary: Summary) => string;
  readonly selfReview: (params: SelfReviewCommentParams) => string;
  readonly requestErrors: (errors: readonly RequestFieldError[]) => string;
  /** A reply as the pipeline wrote it (`@login …`, GitHub markdown: its words are the only facts). */
  readonly reply: (body: string) => string;
}

/** The comments as GitHub shows them. */
export const MARKDOWN_COMMENTS: CommentRenderer = {
  plan: renderPlanComment,
  summary: renderSummary,
  selfReview: renderSelfReviewComment,
  requestErrors: renderRequestErrors,
  reply: (body) => body,
};
