import { decideCommandPermission } from '../domain/commands/command-permissions.js';
import { parseCommand } from '../domain/commands/parse-command.js';
import type { Command } from '../domain/commands/schema.js';
import { parseRunIssueFromPullRequestBody } from '../domain/render/markers.js';
import { deliveryJobId, type HandlerDeps, repoSettingsOf } from './handler-deps.js';
import { hidePastedCredentials } from './on-pasted-credentials.js';
import { type IssueCommentPayload, isBot, repoOf } from './payloads.js';

const OPEN_COMMANDS: ReadonlySet<Command['type']> = new Set(['status', 'help']);

/**
 * `issue_comment.created`: verify → narrow → authorise (reads only) → enqueue. A comment that looks
 * like pasted credentials is hidden and answered first, and nothing else in it is acted on
 * (`hidePastedCredentials`). An allowed command
 * goes to the events worker (which reacts 👀 and applies it); a refusal, a malformed command and
 * `/status`/`/help` from anyone get a reply, rate-limited per person. Bots are never obeyed.
 */
export async function onIssueComment(
  deps: HandlerDeps,
  deliveryId: string,
  payload: IssueCommentPayload,
): Promise<string> {
  if (isBot(payload.comment.user) || isBot(payload.sender)) return 'ignored_bot';
  const hidden = await hidePastedCredentials(deps, deliveryId, payload);
  if (hidden !== null) return hidden;
  const parsed = parseCommand(payload.comment.body ?? '');
  if (parsed.kind === 'none') return 'ignored_no_command';
  const repo = repoOf(payload);
  const onPullRequest = payload.issue.pull_request !== undefined;
  const actor = payload.comment.user.login;
  const where = { ...repo, issue: payload.issue.number };
  const reply = async (body: string) => {
    if (!(await deps.allowReply(`${repo.owner}/${repo.repo}:${actor}`))) return 'rate_limited';
    await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
      kind: 'reply',
      ref: where,
      key: deliveryId,
      body: `@${actor} ${body}`,
    });
    return 'replied';
  };
  if (parsed.kind === 'invalid') return reply(parsed.message);
  const runIssue = onPullRequest
    ? parseRunIssueFromPullRequestBody(payload.issue.body ?? null)
    : payload.issue.number;
  if (runIssue === null) return 'ignored_not_a_bot_pull_request';
  const github = deps.github(repo);
  const command = parsed.command;
  if (!OPEN_COMMANDS.has(command.type)) {
    const [permission, { approvers }] = await Promise.all([
      github.getPermission(actor),
      repoSettingsOf(deps, repo),
    ]);
    const decision = decideCommandPermission({
      command,
      permission,
      login: actor,
      isIssueAuthor: !onPullRequest && payload.issue.user.login === actor,
      approvers,
    });
    if (!decision.allowed)
      return reply(`${decision.reason}. Ask a maintainer, or use \`/status\` to see where the run stands.`);
  } else if (!(await deps.allowReply(`${repo.owner}/${repo.repo}:${actor}`))) {
    return 'rate_limited';
  }
  await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
    kind: 'command',
    ref: { ...repo, issue: runIssue },
    id: deliveryJobId(deliveryId),
    command,
    actor,
    target: { kind: onPullRequest ? 'pull_request' : 'issue', number: payload.issue.number },
    commentId: payload.comment.id,
    viaPullRequest: onPullRequest ? payload.issue.number : null,
  });
  return 'enqueued';
}
