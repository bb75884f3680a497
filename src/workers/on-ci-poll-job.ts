import { ciRunMismatch, expectedCiRun } from '../domain/ci/ci-run-match.js';
import type { RunEvent } from '../domain/pipeline/events.js';
import { runLogId } from '../logging.js';
import type { StoredRun } from '../ports/run-store.js';
import { applyCiResults } from './apply-ci-results.js';
import { applyRunEvent } from './apply-run-event.js';
import { enqueuePoll } from './ci-poll-queue.js';
import type { EventJob } from './event-job.js';
import { loadOrRebuild } from './load-or-rebuild.js';
import type { WorkerDeps } from './worker-deps.js';

type CiPollJob = Extract<EventJob, { kind: 'ci_poll' }>;

/**
 * The fallback for a lost `workflow_run` webhook, and the CI timeouts. While the run still waits
 * for `runKey`: a completed Actions run of the run's branch, head commit and event (the checks the
 * webhook's run passes, `ciRunMismatch`) is read and applied exactly as the webhook would; a run
 * that has not appeared `appearTimeoutMinutes` after the dispatch, or not finished
 * `runTimeoutMinutes` after it, ends the wait with `timed_out` and a problem saying why; otherwise
 * the next poll is queued. The timeouts come from the run's settings, snapshotted from the
 * repository config when the run was planned (a config edit does not move a running deadline).
 */
export async function onCiPollJob(deps: WorkerDeps, jobId: string, job: CiPollJob): Promise<string> {
  // This poll goes on polling: a rebuild must not start a second chain of polls.
  const stored = await loadOrRebuild(deps, job.ref, { resume: false });
  const status = stored?.run.status;
  if (stored === null || status?.kind !== 'waiting_for_ci' || status.runKey !== job.runKey) {
    deps.log.debug(
      { jobId, runKey: job.runKey, run: runLogId(job.ref) },
      'CI poll for a run no longer waited for',
    );
    return 'stale';
  }
  const expected = expectedCiRun(stored.run);
  const listed = expected === null ? null : await deps.ci(job.ref).findRun(job.runKey, expected);
  const mismatch =
    listed === null || expected === null ? null : ciRunMismatch(expected, { runKey: job.runKey, ...listed });
  if (mismatch !== null) {
    deps.log.info(
      { jobId, runKey: job.runKey, runId: listed?.id, run: runLogId(job.ref), mismatch },
      'Ignored a workflow run that is not the one the run dispatched',
    );
  }
  const found = mismatch === null ? listed : null;
  if (found?.status === 'completed') {
    const finished = {
      eventId: jobId,
      runKey: job.runKey,
      runId: found.id,
      conclusion: found.conclusion,
      url: found.url,
    };
    deps.log.info({ jobId, runKey: job.runKey, run: runLogId(job.ref) }, 'CI run finished without a webhook');
    return applyCiResults(deps, job.ref, finished, stored);
  }
  const timeouts = stored.run.settings.ci;
  const elapsedMinutes = (deps.clock.now().getTime() - Date.parse(job.dispatchedAt)) / 60_000;
  if (found === null && elapsedMinutes >= timeouts.appearTimeoutMinutes) {
    return timeOut(deps, jobId, job, stored, {
      url: null,
      problem:
        `The CI run never appeared: no run of the bot's workflow named \`${job.runKey}\` showed up ` +
        `${timeouts.appearTimeoutMinutes} minute(s) after it was dispatched. Is the workflow installed on the ` +
        'default branch (`npx lakeflow-connector-bot init`), and are Actions enabled for the repository? ' +
        'Comment `/retry` once they are.',
    });
  }
  if (found !== null && elapsedMinutes >= timeouts.runTimeoutMinutes) {
    const cancelled = await cancelStuckRun(deps, job, found.id);
    const state = found.status === 'queued' ? 'still queued' : 'still running';
    const late = `[The CI run](${found.url}) did not finish within ${timeouts.runTimeoutMinutes} minute(s)`;
    return timeOut(deps, jobId, job, stored, {
      url: found.url,
      problem: cancelled
        ? `${late} (it was ${state}); the bot stopped waiting and cancelled it. Comment \`/retry\` to run it again.`
        : `${late} (it is ${state}); the bot stopped waiting. Cancel it on GitHub if it is stuck, then comment \`/retry\`.`,
    });
  }
  await enqueuePoll(deps, { ...job, attempt: job.attempt + 1 });
  return 'polling';
}

/** Best effort: a run the bot gave up on is cancelled, so it frees its runner; a failure is only logged. */
async function cancelStuckRun(deps: WorkerDeps, job: CiPollJob, runId: number): Promise<boolean> {
  try {
    return (await deps.ci(job.ref).cancelRun(runId)) === 'cancelled';
  } catch (error) {
    deps.log.warn(
      { err: error, runKey: job.runKey, run: runLogId(job.ref) },
      'Could not cancel a stuck CI run',
    );
    return false;
  }
}

function timeOut(
  deps: WorkerDeps,
  jobId: string,
  job: CiPollJob,
  stored: StoredRun,
  params: { url: string | null; problem: string },
): Promise<string> {
  const event: RunEvent = {
    type: 'ci_completed',
    id: jobId,
    runKey: job.runKey,
    conclusion: 'timed_out',
    url: params.url,
    tests: [],
    logExcerpt: '',
    problem: params.problem.slice(0, 2_000),
  };
  deps.log.warn({ jobId, runKey: job.runKey, run: runLogId(job.ref) }, 'CI run timed out');
  return applyRunEvent(deps, job.ref, event, stored);
}
