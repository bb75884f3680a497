import type { CommentRenderer } from '../../../domain/render/comment-renderer.js';
import { renderPlanText } from './render-plan-text.js';
import { renderReplyText } from './render-reply-text.js';
import { renderSelfReviewText } from './render-self-review-text.js';
import { renderSummaryText } from './render-summary-text.js';
import { indent } from './text-format.js';

/**
 * The comments of a local run, written for the terminal from the same facts as GitHub's: no markdown
 * tables, no slash commands, commits as short shas, files as their paths in the checkout.
 */
export const TERMINAL_COMMENTS: CommentRenderer = {
  plan: renderPlanText,
  summary: renderSummaryText,
  selfReview: renderSelfReviewText,
  requestErrors: (errors) =>
    [
      'The request cannot be read:',
      ...indent(errors.map((error) => `${error.field}: ${error.message}`)),
    ].join('\n'),
  reply: renderReplyText,
};
