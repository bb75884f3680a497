import { DASHBOARD_KEY } from '../domain/render/dashboard-issue.js';
import { hasMarker, parseRunIssueFromPullRequestBody } from '../domain/render/markers.js';
import { enqueueDashboardRefresh } from '../workers/dashboard-queue.js';
import { deliveryJobId, type HandlerDeps } from './handler-deps.js';
import { type IssueLifecyclePayload, isBot, type PullRequestLifecyclePayload, repoOf } from './payloads.js';

/**
 * `issues.closed` / `issues.reopened`: enqueued for the run of that issue. The events worker
 * ignores an issue that has no run, and `transition` decides (closed: cancel as `/cancel` would).
 * The bot's dashboard issue has no run: closing it pauses it (the refresh finds it closed), and
 * reopening it queues a refresh at once, which brings it up to date.
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
  if (isDashboardIssue(payload.issue)) {
    if (action === 'closed') return 'ignored_dashboard_closed';
    await enqueueDashboardRefresh(deps.jobs, { jobId: id, repo: repoOf(payload), delayMs: 0 });
    return 'dashboard_refresh_enqueued';
  }
  await deps.jobs.enqueueEvent(id, {
    kind: 'run_event',
    ref: { ...repoOf(payload), issue: payload.issue.number },
    event: { type: action === 'closed' ? 'issue_closed' : 'issue_reopened', id, actor: payload.sender.login },
  });
  return 'enqueued';
}

/**
 * An issue a bot opened with the dashboard marker. Which bot is not known here; the refresh finds
 * the dashboard again among this bot's own issues, so a look-alike only costs a refresh.
 */
function isDashboardIssue(issue: IssueLifecyclePayload['issue']): boolean {
  return issue.user !== undefined && isBot(issue.user) && hasMarker(issue.body ?? '', DASHBOARD_KEY);
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
