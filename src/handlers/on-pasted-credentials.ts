import {
  renderCredentialWarning,
  renderIssueCredentialWarning,
} from '../domain/render/credential-warning.js';
import { parseRunIssueFromPullRequestBody } from '../domain/render/markers.js';
import { findPastedCredentials } from '../domain/sanitize/pasted-credentials.js';
import type { SecretFinding } from '../domain/sanitize/secret-scan.js';
import type { RepoRef } from '../workers/worker-deps.js';
import { deliveryJobId, type HandlerDeps, repoSettingsOf } from './handler-deps.js';
import { type IssueCommentPayload, type IssuePayload, repoOf } from './payloads.js';
import { isConnectorRequestOf } from './request-issue.js';

/**
 * True for the threads of the bot's runs: a connector request issue (by the repository's
 * `labels.request` or the form's body), or a PR the bot opened for one.
 */
export async function isRunThread(deps: HandlerDeps, payload: IssueCommentPayload): Promise<boolean> {
  if (payload.issue.pull_request !== undefined) {
    return parseRunIssueFromPullRequestBody(payload.issue.body ?? null) !== null;
  }
  return isConnectorRequestOf(deps, payload);
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
  if (findings.length === 0 || !(await isRunThread(deps, payload))) return null;
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
  await enqueueWarning(deps, deliveryId, { repo, issue: payload.issue.number, body: `@${actor} ${warning}` });
  return outcome;
}

/**
 * A connector request whose description (opened, or changed by an edit) looks like pasted
 * credentials. GitHub cannot hide an issue description the way it hides a comment, and the bot does
 * not rewrite people's text (the edit history would keep the credential anyway), so "hidden" here
 * means the bot reads none of it: no `issue_request` is queued, so nothing of the body reaches Redis,
 * a plan, the state marker or a model, and a run already planned keeps the request it had. The person
 * who wrote it gets a reply, through the queue and rate-limited like every reply, naming the lines
 * (never the value) and asking for an edit that removes the credential and for it to be rotated; an
 * edit without it is read as usual. The body is never logged or quoted.
 */
export async function refuseIssueCredentials(
  deps: HandlerDeps,
  deliveryId: string,
  params: { payload: IssuePayload; action: 'opened' | 'edited'; findings: readonly SecretFinding[] },
): Promise<string> {
  const { payload, action, findings } = params;
  const repo = repoOf(payload);
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
  const actor = payload.sender.login;
  if (!(await deps.allowReply(`${repo.owner}/${repo.repo}:${actor}`))) {
    return 'refused_credentials_reply_rate_limited';
  }
  const { environment } = await repoSettingsOf(deps, repo);
  const lines = findings.map((finding) => finding.line);
  await enqueueWarning(deps, deliveryId, {
    repo,
    issue: payload.issue.number,
    body: `@${actor} ${renderIssueCredentialWarning({ action, lines, environment })}`,
  });
  return 'refused_credentials';
}

async function enqueueWarning(
  deps: HandlerDeps,
  deliveryId: string,
  params: { repo: RepoRef; issue: number; body: string },
): Promise<void> {
  await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
    kind: 'reply',
    ref: { ...params.repo, issue: params.issue },
    key: deliveryId,
    body: params.body,
  });
}
