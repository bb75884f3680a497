import { runLogId } from '../logging.js';
import { applyCiResults } from './apply-ci-results.js';
import type { EventJob } from './event-job.js';
import type { WorkerDeps } from './worker-deps.js';

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
      { jobId, runKey: job.runKey, run: runLogId(job.ref) },
      'Workflow run is not one a run waits for',
    );
    return 'stale';
  }
  return applyCiResults(
    deps,
    job.ref,
    { eventId: jobId, runKey: job.runKey, runId: job.runId, conclusion: job.conclusion, url: job.url },
    stored,
  );
}
