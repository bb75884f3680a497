import { ciRunMismatch, expectedCiRun } from '../domain/ci/ci-run-match.js';
import { runLogId } from '../logging.js';
import { applyCiResults } from './apply-ci-results.js';
import type { EventJob } from './event-job.js';
import { loadOrRebuild } from './load-or-rebuild.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * The bot's workflow finished: if the run waits for exactly this run key, and the Actions run is a
 * `workflow_dispatch` on the run's branch at the head it was dispatched on (`ciRunMismatch`), read
 * the results through the CI port and apply them as `ci_completed`; anything else is logged and
 * dropped (a mismatching run is never read: the poll still finds the real one).
 */
export async function onWorkflowRunJob(
  deps: WorkerDeps,
  jobId: string,
  job: Extract<EventJob, { kind: 'workflow_run' }>,
): Promise<string> {
  // A run Redis lost is rebuilt from its status comment first, so its CI result is not dropped as stale.
  const stored = await loadOrRebuild(deps, job.ref);
  const status = stored?.run.status;
  if (stored === null || status?.kind !== 'waiting_for_ci' || status.runKey !== job.runKey) {
    deps.log.info(
      { jobId, runKey: job.runKey, run: runLogId(job.ref) },
      'Workflow run is not one a run waits for',
    );
    return 'stale';
  }
  const expected = expectedCiRun(stored.run);
  const mismatch =
    expected === null
      ? 'the run waits for no CI run'
      : ciRunMismatch(expected, {
          runKey: job.runKey,
          headBranch: job.headBranch ?? null,
          headSha: job.headSha ?? null,
          event: job.event ?? null,
        });
  if (mismatch !== null) {
    deps.log.info(
      { jobId, runKey: job.runKey, runId: job.runId, run: runLogId(job.ref), mismatch },
      'Ignored a workflow run that is not the one the run dispatched',
    );
    return 'ignored_mismatch';
  }
  return applyCiResults(
    deps,
    job.ref,
    { eventId: jobId, runKey: job.runKey, runId: job.runId, conclusion: job.conclusion, url: job.url },
    stored,
  );
}
