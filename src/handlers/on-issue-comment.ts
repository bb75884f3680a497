import { MAX_SCANNED_CHARS } from '../domain/commands/command-lines.js';
import { parseCommand } from '../domain/commands/parse-command.js';
import { replyLimitKey } from '../domain/commands/reply-limit-key.js';
import type { Command } from '../domain/commands/schema.js';
import { parseRunIssueFromPullRequestBody } from '../domain/render/markers.js';
import { deliveryJobId, type HandlerDeps } from './handler-deps.js';
import { hidePastedCredentials } from './on-pasted-credentials.js';
import { type IssueCommentPayload, isBot, repoOf } from './payloads.js';

const OPEN_COMMANDS: ReadonlySet<Command['type']> = new Set(['status', 'help']);

/** The refusal of a command in a comment longer than the bot reads; it quotes nothing of the comment. */
export const COMMENT_TOO_LONG_MESSAGE = `this comment is longer than ${MAX_SCANNED_CHARS.toLocaleString('en-US')} characters, so its command was not run. Write the command in a short comment of its own.`;

/**
 * `issue_comment.created`: verify → narrow → enqueue, with no GitHub call. A comment that looks like
 * pasted credentials is queued to be hidden and answered, and nothing else in it is acted on
 * (`hidePastedCredentials`). A command goes to the events worker, which checks that its author may
 * run it (`checkAccess`), reacts 👀 and applies it, or replies with the refusal; a malformed command
 * gets a reply here, and `/status`/`/help` from anyone are answered, rate-limited per person. Bots are
 * never obeyed. A command in a comment longer than the bot reads (64 KB) is refused whole, never run
 * in part. A command written without `/lakeflow` is marked bare: whether the repository leaves such
 * commands to other bots is the worker's to decide, so the handler counts no reply allowance for it.
 */
export async function onIssueComment(
  deps: HandlerDeps,
  deliveryId: string,
  payload: IssueCommentPayload,
): Promise<string> {
  if (isBot(payload.comment.user) || isBot(payload.sender)) return 'ignored_bot';
  const hidden = await hidePastedCredentials(deps, deliveryId, payload);
  if (hidden !== null) return hidden;
  const text = payload.comment.body ?? '';
  const parsed = parseCommand(text);
  if (parsed.kind === 'none') return 'ignored_no_command';
  const repo = repoOf(payload);
  const onPullRequest = payload.issue.pull_request !== undefined;
  const actor = payload.comment.user.login;
  const where = { ...repo, issue: payload.issue.number };
  // A bare command may be another bot's (the repository may require `/lakeflow`): only the worker,
  // which reads the config, can tell, so it counts the reply allowance too, and only if it answers.
  const bare = !parsed.prefixed;
  const reply = async (body: string) => {
    if (!bare && !(await deps.allowReply(replyLimitKey(repo, actor)))) return 'rate_limited';
    await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
      kind: 'reply',
      ref: where,
      key: deliveryId,
      body: `@${actor} ${body}`,
      ...(bare ? { bareCommandBy: actor } : {}),
    });
    return 'replied';
  };
  // GitHub caps comments at 65,536 characters; a longer one is refused as a whole rather than run
  // on its first part (a `/revise` would lose the rest of its feedback).
  if (text.length > MAX_SCANNED_CHARS) return reply(COMMENT_TOO_LONG_MESSAGE);
  if (parsed.kind === 'invalid') return reply(parsed.message);
  const runIssue = onPullRequest
    ? parseRunIssueFromPullRequestBody(payload.issue.body ?? null)
    : payload.issue.number;
  if (runIssue === null) return 'ignored_not_a_bot_pull_request';
  const command = parsed.command;
  const open = OPEN_COMMANDS.has(command.type);
  if (open && !bare && !(await deps.allowReply(replyLimitKey(repo, actor)))) return 'rate_limited';
  await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
    kind: 'command',
    ref: { ...repo, issue: runIssue },
    id: deliveryJobId(deliveryId),
    command,
    actor,
    target: { kind: onPullRequest ? 'pull_request' : 'issue', number: payload.issue.number },
    commentId: payload.comment.id,
    viaPullRequest: onPullRequest ? payload.issue.number : null,
    writtenAt: writtenAtOf(payload.comment),
    ...(open ? {} : { checkAccess: { isIssueAuthor: !onPullRequest && payload.issue.user.login === actor } }),
    ...(bare ? { bareCommand: true as const } : {}),
  });
  return 'enqueued';
}

/** When the comment's command was written: its last edit, else its creation; `null` when unreadable. */
function writtenAtOf(comment: {
  created_at?: string | undefined;
  updated_at?: string | undefined;
}): string | null {
  const stamp = comment.updated_at ?? comment.created_at;
  return stamp !== undefined && !Number.isNaN(Date.parse(stamp)) ? new Date(stamp).toISOString() : null;
}
