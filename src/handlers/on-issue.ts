import type { HandlerDeps } from './handler-deps.js';
import { deliveryJobId } from './handler-deps.js';
import { type IssuePayload, isBot, repoOf } from './payloads.js';

const REQUEST_LABEL = 'lakeflow-connector';
const FORM_MARKER = /^###\s+Source name\s*$/im;

/** True for issues the bot should read: the form's label, or a body written by the form. */
export function isConnectorRequest(payload: {
  issue: Pick<IssuePayload['issue'], 'labels' | 'pull_request'> & { body?: string | null };
}): boolean {
  if (payload.issue.pull_request !== undefined) return false;
  return (
    payload.issue.labels.some((label) => label.name === REQUEST_LABEL) ||
    FORM_MARKER.test(payload.issue.body ?? '')
  );
}

/**
 * `issues.opened` / `issues.edited`: a connector request is queued for the events worker, which
 * parses it and plans (or answers with what is wrong). An edit that does not touch the body is ignored.
 */
export async function onIssue(
  deps: HandlerDeps,
  deliveryId: string,
  action: 'opened' | 'edited',
  payload: IssuePayload,
): Promise<string> {
  if (isBot(payload.sender)) return 'ignored_bot';
  if (!isConnectorRequest(payload)) return 'ignored_not_a_request';
  if (action === 'edited' && payload.changes?.body === undefined) return 'ignored_no_body_change';
  const ref = { ...repoOf(payload), issue: payload.issue.number };
  await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
    kind: 'issue_request',
    ref,
    repoUrl: payload.repository.html_url,
    action,
    body: payload.issue.body ?? '',
  });
  return 'enqueued';
}
