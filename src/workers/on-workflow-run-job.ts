import type { TestCase } from '../domain/pipeline/run.js';
import { isRetryable } from '../errors.js';
import { runLogId } from '../logging.js';
import { applyRunEvent } from './apply-run-event.js';
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
