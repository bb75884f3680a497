import { parseRunIssueFromPullRequestBody } from '../domain/render/markers.js';
import { deliveryJobId, type HandlerDeps } from './handler-deps.js';
import { isBot, type ReviewCommentPayload, type ReviewPayload, repoOf } from './payloads.js';

/**
 * A review, or a review comment on a line, on the bot's PR: queued for the events worker, which
 * keeps it as feedback for the next run of the stage that wrote the file, but only from people who
 * may `/revise` (write access or a listed approver, the command policy: `workers/check-access.ts`),
 * since the agents follow it as a maintainer's instruction. Anyone else gets one reply on the PR (one
 * comment per person and PR, found again by its marker, and rate-limited like every reply), so a
 * contributor knows the bot will not act on it. Reviews without text carry nothing to keep.
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
    kind: 'review',
    ref: { ...repoOf(payload), issue },
    id,
    actor: review.user.login,
    text: text.slice(0, 10_000),
    // A path longer than a run keeps is passed on as none: the feedback still reaches the stage.
    path: review.path !== null && review.path.length <= 500 ? review.path : null,
    pullRequest: payload.pull_request.number,
  });
  return 'enqueued';
}
