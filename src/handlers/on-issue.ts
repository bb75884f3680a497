import { isRequestBodyTooLarge } from '../domain/intake/parse-connector-request.js';
import { MESSAGES } from '../domain/intake/request-messages.js';
import type { HandlerDeps } from './handler-deps.js';
import { deliveryJobId } from './handler-deps.js';
import { type IssuePayload, isBot, repoOf } from './payloads.js';
import { isConnectorRequestOf } from './request-issue.js';

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
 * `issues.opened` / `issues.edited`: a connector request (the form's body, or the repository's
 * `labels.request` label: `isConnectorRequestOf`) is queued for the events worker, which
 * parses it and plans (or answers with what is wrong). An edit that does not touch the body is ignored.
 * A body over the size the bot reads (64 KB) is refused here, before any job is built: its author
 * gets a `reply` (rate-limited like every reply) that quotes nothing of it, and the run, if any, is
 * left as it was. The events job never carries such a body, so no delivery fails on its size.
 */
export async function onIssue(
  deps: HandlerDeps,
  deliveryId: string,
  action: 'opened' | 'edited',
  payload: IssuePayload,
): Promise<string> {
  if (isBot(payload.sender)) return 'ignored_bot';
  if (!(await isConnectorRequestOf(deps, payload))) return 'ignored_not_a_request';
  if (action === 'edited' && payload.changes?.body === undefined) return 'ignored_no_body_change';
  const ref = { ...repoOf(payload), issue: payload.issue.number };
  const body = payload.issue.body ?? '';
  if (isRequestBodyTooLarge(body)) {
    const actor = payload.sender.login;
    if (!(await deps.allowReply(`${ref.owner}/${ref.repo}:${actor}`))) return 'body_too_large_rate_limited';
    await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
      kind: 'reply',
      ref,
      key: deliveryId,
      body: `@${actor} ${MESSAGES.largeBody}`,
    });
    return 'refused_body_too_large';
  }
  await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
    kind: 'issue_request',
    ref,
    repoUrl: payload.repository.html_url,
    action,
    body,
  });
  return 'enqueued';
}
