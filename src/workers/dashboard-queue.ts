import { dashboardCoalesceKey, dashboardJobId } from '../domain/dashboard/dashboard-jobs.js';
import type { RepoRef } from '../domain/pipeline/repo-runs.js';
import type { Run } from '../domain/pipeline/run.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * Queues a refresh of the dashboard issue of `repo` under the repository's coalesce key, `delayMs`
 * from now: while one waits, this adds nothing; while one runs, one more follows it.
 */
export async function enqueueDashboardRefresh(
  jobs: JobQueue,
  params: { jobId: string; repo: RepoRef; delayMs: number },
): Promise<void> {
  const { installationId, owner, repo } = params.repo;
  await jobs.enqueueEvent(
    params.jobId,
    { kind: 'dashboard', repo: { installationId, owner, repo } },
    { delayMs: params.delayMs, coalesceKey: dashboardCoalesceKey(params.repo) },
  );
}

/**
 * After a run's change is saved: its repository's dashboard is refreshed `deps.dashboard.delayMs`
 * later, once for every change made until then. Nothing when the process keeps no dashboard.
 */
export async function requestDashboardRefresh(deps: WorkerDeps, run: Run): Promise<void> {
  if (deps.dashboard === undefined) return;
  await enqueueDashboardRefresh(deps.jobs, {
    jobId: dashboardJobId(run),
    repo: run.ref,
    delayMs: deps.dashboard.delayMs,
  });
}
