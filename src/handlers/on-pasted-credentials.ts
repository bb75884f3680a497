import type { RunRef } from '../domain/pipeline/run.js';
import { parseRunIssueFromPullRequestBody } from '../domain/render/markers.js';
import { findPastedCredentials } from '../domain/sanitize/pasted-credentials.js';
import type { SecretFinding } from '../domain/sanitize/secret-scan.js';
import { deliveryJobId, type HandlerDeps } from './handler-deps.js';
import { type IssueCommentPayload, type IssuePayload, repoOf } from './payloads.js';
import { requestLabelsField, requestSignalOf } from './request-issue.js';

type CredentialsWarning = Extract<
  Parameters<HandlerDeps['jobs']['enqueueEvent']>[1],
  { kind: 'credentials_warning' }
>;

/**
 * A comment that looks like pasted credentials, from anyone, on a run's thread (a connector request,
 * or a PR the bot opened for one): queued at once for the events worker, which hides it (every second
 * it stays visible counts) and tells its author to rotate the credential and how to hand it over as
 * the environment secret instead (`workers/on-credentials-warning-job.ts`). Whatever the comment also
 * says (a command included) is not acted on. The body is never logged, quoted or queued.
 *
 * Returns the handler outcome, or `null` when the comment carries no credential or is elsewhere.
 */
export async function hidePastedCredentials(
  deps: HandlerDeps,
  deliveryId: string,
  payload: IssueCommentPayload,
): Promise<string | null> {
  const findings = findPastedCredentials(payload.comment.body ?? '');
  if (findings.length === 0) return null;
  const onPullRequest = payload.issue.pull_request !== undefined;
  const signal = onPullRequest ? null : requestSignalOf(payload.issue);
  if (onPullRequest ? parseRunIssueFromPullRequestBody(payload.issue.body ?? null) === null : signal === null)
    return null;
  deps.log.warn(
    {
      deliveryId,
      commentId: payload.comment.id,
      kinds: findings.map((finding) => finding.kind),
      lines: findings.map((finding) => finding.line),
    },
    'Comment looks like pasted credentials',
  );
  await enqueueWarning(deps, deliveryId, {
    ref: { ...repoOf(payload), issue: payload.issue.number },
    actor: payload.comment.user.login,
    where: { kind: 'comment', nodeId: payload.comment.node_id ?? null },
    ...requestLabelsField(signal),
  });
  return 'credentials_queued';
}

/**
 * A connector request whose description (opened, or changed by an edit) looks like pasted
 * credentials. GitHub cannot hide an issue description the way it hides a comment, and the bot does
 * not rewrite people's text (the edit history would keep the credential anyway), so "hidden" here
 * means the bot reads none of it: no `issue_request` is queued, so nothing of the body reaches Redis,
 * a plan, the state marker or a model, and a run already planned keeps the request it had. The person
 * who wrote it gets a reply from the events worker, rate-limited like every reply, naming the lines
 * (never the value) and asking for an edit that removes the credential and for it to be rotated; an
 * edit without it is read as usual. The body is never logged or quoted.
 */
export async function refuseIssueCredentials(
  deps: HandlerDeps,
  deliveryId: string,
  params: {
    payload: IssuePayload;
    action: 'opened' | 'edited';
    findings: readonly SecretFinding[];
    requestLabels?: string[];
  },
): Promise<string> {
  const { payload, action, findings } = params;
  deps.log.warn(
    {
      deliveryId,
      issue: payload.issue.number,
      action,
      kinds: findings.map((finding) => finding.kind),
      lines: findings.map((finding) => finding.line),
    },
    'Issue description looks like pasted credentials; not read',
  );
  await enqueueWarning(deps, deliveryId, {
    ref: { ...repoOf(payload), issue: payload.issue.number },
    actor: payload.sender.login,
    where: { kind: 'description', action, lines: findings.map((finding) => finding.line).slice(0, 1_000) },
    ...(params.requestLabels === undefined ? {} : { requestLabels: params.requestLabels }),
  });
  return 'refused_credentials';
}

async function enqueueWarning(
  deps: HandlerDeps,
  deliveryId: string,
  warning: Omit<CredentialsWarning, 'kind' | 'key' | 'ref'> & { ref: RunRef },
): Promise<void> {
  await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
    kind: 'credentials_warning',
    key: deliveryId,
    ...warning,
  });
}
