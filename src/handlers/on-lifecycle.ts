import { parseRunIssueFromPullRequestBody } from '../domain/render/markers.js';
import { deliveryJobId, type HandlerDeps } from './handler-deps.js';
import { type IssueLifecyclePayload, type PullRequestLifecyclePayload, repoOf } from './payloads.js';

/**
 * `issues.closed` / `issues.reopened`: enqueued for the run of that issue. The events worker
 * ignores an issue that has no run, and `transition` decides (closed: cancel as `/cancel` would).
 */
export async function onIssueLifecycle(
  deps: HandlerDeps,
  deliveryId: string,
  action: 'closed' | 'reopened',
  payload: IssueLifecyclePayload,
): Promise<string> {
  if (payload.issue.pull_request !== undefined && payload.issue.pull_request !== null)
    return 'ignored_pull_request';
  const id = deliveryJobId(deliveryId);
  await deps.jobs.enqueueEvent(id, {
    kind: 'run_event',
    ref: { ...repoOf(payload), issue: payload.issue.number },
    event: { type: action === 'closed' ? 'issue_closed' : 'issue_reopened', id, actor: payload.sender.login },
  });
  return 'enqueued';
}

/**
 * `pull_request.closed` / `pull_request.reopened` of the bot's PR (its body names the run's issue);
 * the worker checks the PR is the run's own (`viaPullRequest`). Any other PR is ignored here.
 */
export async function onPullRequestLifecycle(
  deps: HandlerDeps,
  deliveryId: string,
  action: 'closed' | 'reopened',
  payload: PullRequestLifecyclePayload,
): Promise<string> {
  const issue = parseRunIssueFromPullRequestBody(payload.pull_request.body);
  if (issue === null) return 'ignored_not_a_bot_pull_request';
  const id = deliveryJobId(deliveryId);
  const number = payload.pull_request.number;
  const actor = payload.sender.login;
  await deps.jobs.enqueueEvent(id, {
    kind: 'run_event',
    ref: { ...repoOf(payload), issue },
    event:
      action === 'closed'
        ? { type: 'pull_request_closed', id, number, merged: payload.pull_request.merged === true, actor }
        : { type: 'pull_request_reopened', id, number, actor },
    viaPullRequest: number,
  });
  return 'enqueued';
}
