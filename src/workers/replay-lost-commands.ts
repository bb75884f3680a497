import { decideCommandPermission } from '../domain/commands/command-permissions.js';
import { parseCommand } from '../domain/commands/parse-command.js';
import type { Run } from '../domain/pipeline/run.js';
import { runLogId } from '../logging.js';
import { isCommandPrefixRequired } from './command-form.js';
import type { WorkerDeps } from './worker-deps.js';

/** At most this many comments are read after the point the marker shows. */
const COMMENTS_READ = 100;

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * After a rebuild from the status comment, finds the commands Redis may have lost with their jobs:
 * those people wrote on the run's issue in a later second than the run's last change the marker
 * shows (`updatedAt`: a command the run applied changed it, so it is not read again). Each one its
 * author may run (permission or the config's approvers; an issue author's `/cancel` is not replayed)
 * is queued again as a command under its comment's id, unless it is bare where the repository
 * requires `/lakeflow` (another bot's); `skipCommentId` (the command that caused the
 * rebuild, being applied) is left out. Commands written on the PR are not replayed: their authors
 * send them again. Returns how many were queued.
 */
export async function replayLostCommands(
  deps: WorkerDeps,
  run: Run,
  skipCommentId: number | null,
): Promise<number> {
  const since = run.updatedAt;
  const github = deps.github(run.ref);
  const comments = await github.listCommentsSince({ issue: run.ref.issue, since, limit: COMMENTS_READ });
  let queued = 0;
  for (const comment of comments) {
    if (comment.authorIsBot || comment.id === skipCommentId || seconds(comment.createdAt) <= seconds(since))
      continue;
    const parsed = parseCommand(comment.body);
    if (parsed.kind !== 'command') continue;
    if (!parsed.prefixed && (await isCommandPrefixRequired(deps, run.ref))) continue;
    const [permission, { approvers }] = await Promise.all([
      deps.access.permission(run.ref, comment.author),
      deps.access.settings(run.ref),
    ]);
    const decision = decideCommandPermission({
      command: parsed.command,
      permission,
      login: comment.author,
      isIssueAuthor: false,
      approvers,
    });
    if (!decision.allowed) continue;
    const id = `command-comment-${comment.id}`;
    await deps.jobs.enqueueEvent(id, {
      kind: 'command',
      ref: run.ref,
      id,
      command: parsed.command,
      actor: comment.author,
      target: { kind: 'issue', number: run.ref.issue },
      commentId: comment.id,
      viaPullRequest: null,
      writtenAt: new Date(comment.createdAt).toISOString(),
    });
    queued += 1;
  }
  if (queued > 0)
    deps.log.warn(
      { run: runLogId(run.ref), queued },
      'Commands written after the rebuilt point queued again',
    );
  return queued;
}
