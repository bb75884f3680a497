import { replyLimitKey } from '../domain/commands/reply-limit-key.js';
import { isRequestBodyTooLarge } from '../domain/intake/parse-connector-request.js';
import { MESSAGES } from '../domain/intake/request-messages.js';
import { findPastedCredentials } from '../domain/sanitize/pasted-credentials.js';
import type { HandlerDeps } from './handler-deps.js';
import { deliveryJobId } from './handler-deps.js';
import { refuseIssueCredentials } from './on-pasted-credentials.js';
import { type IssuePayload, isBot, repoOf } from './payloads.js';
import { requestLabelsField, requestSignalOf } from './request-issue.js';

/**
 * `issues.opened` / `issues.edited`: a connector request (the form's body, or a label: the events
 * worker checks it is the repository's `labels.request`, `requestSignalOf`) is queued for the events
 * worker, which parses it and plans (or answers with what is wrong). An edit that does not touch the body is ignored.
 * A body over the size the bot reads (64 KB) is refused here, before any job is built: its author
 * gets a `reply` (rate-limited like every reply) that quotes nothing of it, and the run, if any, is
 * left as it was. The events job never carries such a body, so no delivery fails on its size.
 * A body that looks like pasted credentials is refused the same way (`refuseIssueCredentials`): no
 * job carries it, so nothing of it reaches Redis, a plan, the state marker or a model; an edit that
 * removes the credential is read as usual.
 */
export async function onIssue(
  deps: HandlerDeps,
  deliveryId: string,
  action: 'opened' | 'edited',
  payload: IssuePayload,
): Promise<string> {
  if (isBot(payload.sender)) return 'ignored_bot';
  const signal = requestSignalOf(payload.issue);
  if (signal === null) return 'ignored_not_a_request';
  const requestLabels = requestLabelsField(signal);
  if (action === 'edited' && payload.changes?.body === undefined) return 'ignored_no_body_change';
  const ref = { ...repoOf(payload), issue: payload.issue.number };
  const body = payload.issue.body ?? '';
  if (isRequestBodyTooLarge(body)) {
    const actor = payload.sender.login;
    if (!(await deps.allowReply(replyLimitKey(ref, actor)))) return 'body_too_large_rate_limited';
    await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
      kind: 'reply',
      ref,
      key: deliveryId,
      body: `@${actor} ${MESSAGES.largeBody}`,
      ...requestLabels,
    });
    return 'refused_body_too_large';
  }
  const credentials = findPastedCredentials(body);
  if (credentials.length > 0) {
    return refuseIssueCredentials(deps, deliveryId, {
      payload,
      action,
      findings: credentials,
      ...requestLabels,
    });
  }
  await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
    kind: 'issue_request',
    ref,
    repoUrl: payload.repository.html_url,
    action,
    body,
    ...requestLabels,
  });
  return 'enqueued';
}
