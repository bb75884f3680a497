import { decideCommandPermission } from '../domain/commands/command-permissions.js';
import { parseRunIssueFromPullRequestBody } from '../domain/render/markers.js';
import { deliveryJobId, type HandlerDeps, repoSettingsOf } from './handler-deps.js';
import { isBot, type ReviewCommentPayload, type ReviewPayload, repoOf } from './payloads.js';

/**
 * The reply to a review from someone who may not `/revise`. It quotes nothing of the review.
 */
export const REVIEW_NOT_APPLIED_MESSAGE =
  'only reviews from people who may use `/revise` (write access or a listed approver) steer the bot, so this review was not passed to it. A maintainer can pass it on with `/revise`.';

/**
 * A review, or a review comment on a line, on the bot's PR: kept by the run as feedback for the next
 * run of the stage that wrote the file, but only from people who may `/revise` (write access or a
 * listed approver, the command policy): the agents follow it as a maintainer's instruction. Reviews
 * without text carry nothing to keep. A review from anyone else records nothing; its author gets one
 * reply on the PR (one comment per person and PR, found again by its marker, and rate-limited like
 * every reply), so a contributor knows the bot will not act on it.
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
  const repo = repoOf(payload);
  const actor = review.user.login;
  const id = deliveryJobId(deliveryId);
  const [permission, { approvers }] = await Promise.all([
    deps.github(repo).getPermission(actor),
    repoSettingsOf(deps, repo),
  ]);
  const decision = decideCommandPermission({
    command: { type: 'revise', feedback: text },
    permission,
    login: actor,
    isIssueAuthor: false,
    approvers,
  });
  if (!decision.allowed) {
    if (!(await deps.allowReply(`${repo.owner}/${repo.repo}:${actor}`))) return 'refused_rate_limited';
    const pullRequest = payload.pull_request.number;
    await deps.jobs.enqueueEvent(id, {
      kind: 'reply',
      ref: { ...repo, issue: pullRequest },
      key: `review-not-applied-pr${pullRequest}-${actor.toLowerCase()}`,
      body: `@${actor} ${REVIEW_NOT_APPLIED_MESSAGE}`,
    });
    return 'refused';
  }
  await deps.jobs.enqueueEvent(id, {
    kind: 'run_event',
    ref: { ...repo, issue },
    event: {
      type: 'review_feedback',
      id,
      author: actor,
      text: text.slice(0, 10_000),
      path: review.path,
    },
    viaPullRequest: payload.pull_request.number,
  });
  return 'enqueued';
}
