import { renderCredentialWarning } from '../domain/render/credential-warning.js';
import { parseRunIssueFromPullRequestBody } from '../domain/render/markers.js';
import { findPastedCredentials } from '../domain/sanitize/pasted-credentials.js';
import { deliveryJobId, type HandlerDeps, repoSettingsOf } from './handler-deps.js';
import { isConnectorRequest } from './on-issue.js';
import { type IssueCommentPayload, repoOf } from './payloads.js';

/** True for the threads of the bot's runs: a connector request issue, or a PR the bot opened for one. */
export function isRunThread(payload: IssueCommentPayload): boolean {
  if (payload.issue.pull_request !== undefined) {
    return parseRunIssueFromPullRequestBody(payload.issue.body ?? null) !== null;
  }
  return isConnectorRequest(payload);
}

/**
 * A comment on a run's thread that looks like pasted credentials, from anyone: it is hidden at once
 * (GraphQL `minimizeComment`, the one write a handler makes, because every second it stays visible
 * counts) and its author gets a reply, through the queue and rate-limited like every reply, saying
 * to rotate the credential and how to hand it over as the environment secret instead. Whatever the
 * comment also says (a command included) is not acted on. The body is never logged or quoted.
 *
 * Returns the handler outcome, or `null` when the comment carries no credential or is elsewhere.
 */
export async function hidePastedCredentials(
  deps: HandlerDeps,
  deliveryId: string,
  payload: IssueCommentPayload,
): Promise<string | null> {
  const findings = findPastedCredentials(payload.comment.body ?? '');
  if (findings.length === 0 || !isRunThread(payload)) return null;
  const repo = repoOf(payload);
  const log = deps.log.child({ deliveryId, commentId: payload.comment.id });
  const nodeId = payload.comment.node_id;
  let hidden = false;
  if (nodeId !== undefined) {
    try {
      await deps.github(repo).minimizeComment(nodeId);
      hidden = true;
    } catch (error) {
      log.warn({ err: error }, 'Could not hide a comment that looks like pasted credentials');
    }
  }
  log.warn(
    {
      kinds: findings.map((finding) => finding.kind),
      lines: findings.map((finding) => finding.line),
      hidden,
    },
    'Comment looks like pasted credentials',
  );
  const outcome = hidden ? 'hid_credentials' : 'credentials_not_hidden';
  const actor = payload.comment.user.login;
  if (!(await deps.allowReply(`${repo.owner}/${repo.repo}:${actor}`))) return `${outcome}_reply_rate_limited`;
  const { environment } = await repoSettingsOf(deps, repo);
  const warning = renderCredentialWarning({ hidden, environment });
  await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
    kind: 'reply',
    ref: { ...repo, issue: payload.issue.number },
    key: deliveryId,
    body: `@${actor} ${warning}`,
  });
  return outcome;
}
