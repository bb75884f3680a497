import type { RunEvent } from '../domain/pipeline/events.js';
import type { StageJob } from '../domain/pipeline/jobs.js';
import type { Usage } from '../domain/pipeline/run.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * Tells `job`'s run that the stage attempt ended without a result of its own (a crash, a lost job),
 * under the event id a normal result has (`<job id>-result`), so whichever arrives first counts and
 * the other is a duplicate. A stop (`stopped`: the run did not want the job when it looked) has an
 * id of its own: the run may want the same attempt again (rebuilt behind it, then moved on), and
 * that run's result must still count. `reason` is what the maintainer reads.
 */
export async function reportStageFailed(
  deps: Pick<WorkerDeps, 'jobs'>,
  job: StageJob,
  outcome: { usage: Usage; durationMs: number; reason: string; stopped?: true },
): Promise<void> {
  const event: RunEvent = {
    type: 'stage_failed',
    id: outcome.stopped ? `${job.jobId}-stopped` : `${job.jobId}-result`,
    ...(outcome.stopped ? { stopped: true as const } : {}),
    stage: job.stage,
    batch: job.batch,
    attempt: job.attempt,
    usage: outcome.usage,
    durationMs: Math.max(0, outcome.durationMs),
    reason: outcome.reason,
  };
  await deps.jobs.enqueueEvent(event.id, { kind: 'run_event', ref: job.ref, event });
}
