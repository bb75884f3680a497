import type { RunRef } from '../domain/pipeline/run.js';
import { applyRunEvent } from './apply-run-event.js';
import type { EventJob } from './event-job.js';
import { isFromRunPullRequest, loadOrRebuild } from './load-or-rebuild.js';
import { runEffects } from './run-effects.js';
import type { WorkerDeps } from './worker-deps.js';

/** Acknowledges an authorised command with 👀, reads the branch head and applies the command. */
export async function onCommandJob(
  deps: WorkerDeps,
  job: Extract<EventJob, { kind: 'command' }>,
): Promise<string> {
  const github = deps.github(job.ref);
  if (job.commentId !== null) await github.addReaction({ commentId: job.commentId, content: 'eyes' });
  const stored = await loadOrRebuild(deps, job.ref, { commentId: job.commentId });
  if (stored === null || !isFromRunPullRequest(stored.run.pullRequest, job.viaPullRequest)) {
    return replyWithoutRun(deps, job.ref, job.id, job.target.number, job.actor);
  }
  const headSha = await github.getBranchHead(stored.run.branch);
  const { id, command, actor, target } = job;
  const writtenAt = job.writtenAt ?? null;
  return applyRunEvent(
    deps,
    job.ref,
    { type: 'command', id, command, actor, target, headSha, writtenAt },
    stored,
  );
}

async function replyWithoutRun(
  deps: WorkerDeps,
  ref: RunRef,
  key: string,
  issue: number,
  actor: string,
): Promise<string> {
  const body = `@${actor} there is no connector run here. Open a **New connector** issue from the template to start one.`;
  await runEffects(deps, { ref, run: null }, [
    { type: 'reply', key, target: { kind: 'issue', number: issue }, body },
  ]);
  return 'no_run';
}
