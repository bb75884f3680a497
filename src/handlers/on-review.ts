import { parseRunIssueFromPullRequestBody } from '../domain/render/markers.js';
import { deliveryJobId, type HandlerDeps } from './handler-deps.js';
import { isBot, type ReviewCommentPayload, type ReviewPayload, repoOf } from './payloads.js';

/**
 * A review, or a review comment on a line, on the bot's PR: kept by the run as feedback for the next
 * `/revise` of the stage that wrote the file. Reviews without text carry nothing to keep.
 */
export async function onReview(
  deps: HandlerDeps,
  deliveryId: string,
  payload: ReviewPayload | ReviewCommentPayload,
): Promise<string> {
  const review = 'review' in payload ? { ...payload.review, path: null } : payload.comment;
  if (isBot(review.user) || isBot(payload.sender)) return 'ignored_bot';
  const text = (review.body ?? '').trim();
  if (text === '') return 'ignored_empty';
  const issue = parseRunIssueFromPullRequestBody(payload.pull_request.body);
  if (issue === null) return 'ignored_not_a_bot_pull_request';
  const id = deliveryJobId(deliveryId);
  await deps.jobs.enqueueEvent(id, {
    kind: 'run_event',
    ref: { ...repoOf(payload), issue },
    event: {
      type: 'review_feedback',
      id,
      author: review.user.login,
      text: text.slice(0, 10_000),
      path: review.path,
    },
    viaPullRequest: payload.pull_request.number,
  });
  return 'enqueued';
}
