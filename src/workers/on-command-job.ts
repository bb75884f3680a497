import type { RunRef, TestCase } from '../domain/pipeline/run.js';
import { isRetryable } from '../errors.js';
import { applyRunEvent } from './apply-run-event.js';
import type { EventJob } from './event-job.js';
import { loadOrRebuild } from './load-or-rebuild.js';
import { isFromRunPullRequest } from './process-event-job.js';
import { runEffects } from './run-effects.js';
import type { WorkerDeps } from './worker-deps.js';

/** Acknowledges an authorised command with 👀, reads the branch head and applies the command. */
export async function onCommandJob(
  deps: WorkerDeps,
  job: Extract<EventJob, { kind: 'command' }>,
): Promise<string> {
  const github = deps.github(job.ref);
  if (job.commentId !== null) await github.addReaction({ commentId: job.commentId, content: 'eyes' });
  const stored = await loadOrRebuild(deps, job.ref);
  if (stored === null || !isFromRunPullRequest(stored.run.pullRequest, job.viaPullRequest)) {
    return replyWithoutRun(deps, job.ref, job.id, job.target.number, job.actor);
  }
  const headSha = await github.getBranchHead(stored.run.branch);
  const { id, command, actor, target } = job;
  return applyRunEvent(deps, job.ref, { type: 'command', id, command, actor, target, headSha }, stored);
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

/**
 * The bot's workflow finished: if the run waits for exactly this run key, read the results through
 * the CI port and apply them as `ci_completed`; anything else is logged and dropped as stale.
 */
export async function onWorkflowRunJob(
  deps: WorkerDeps,
  jobId: string,
  job: Extract<EventJob, { kind: 'workflow_run' }>,
): Promise<string> {
  const stored = await deps.store.load(job.ref);
  const status = stored?.run.status;
  if (stored === null || status?.kind !== 'waiting_for_ci' || status.runKey !== job.runKey) {
    deps.log.info(
      { jobId, runKey: job.runKey, issue: job.ref.issue },
      'Workflow run is not one a run waits for',
    );
    return 'stale';
  }
  const conclusion =
    job.conclusion === 'success' ? 'success' : job.conclusion === 'cancelled' ? 'cancelled' : 'failure';
  let results: {
    tests: TestCase[];
    logExcerpt: string;
    problem: string | null;
  };
  try {
    const read = await deps.ci(job.ref).getResults(job.runId);
    results = { tests: read.tests, logExcerpt: read.logExcerpt, problem: null };
  } catch (error) {
    if (isRetryable(error)) throw error;
    const problem = `The results of [the CI run](${job.url}) could not be read: ${error instanceof Error ? error.message : String(error)}`;
    results = { tests: [], logExcerpt: '', problem: problem.slice(0, 2_000) };
  }
  return applyRunEvent(
    deps,
    job.ref,
    { type: 'ci_completed', id: jobId, runKey: job.runKey, conclusion, url: job.url, ...results },
    stored,
  );
}
