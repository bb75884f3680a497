import type { EventJob } from './event-job.js';
import type { WorkerDeps } from './worker-deps.js';

type CiPollJob = Extract<EventJob, { kind: 'ci_poll' }>;

/** Seconds between polls when `WorkerDeps.ciPollIntervalSeconds` is not set. */
export const DEFAULT_CI_POLL_INTERVAL_SECONDS = 60;

/** The deterministic id of poll `attempt` of a CI run: a redelivered enqueue is a no-op. */
export function ciPollJobId(runKey: string, attempt: number): string {
  return `${runKey}-poll-${attempt}`;
}

/** The first poll, enqueued right after a successful dispatch. */
export async function enqueueFirstCiPoll(
  deps: WorkerDeps,
  job: Pick<CiPollJob, 'ref' | 'runKey' | 'dispatchedAt'>,
): Promise<void> {
  await enqueuePoll(deps, { kind: 'ci_poll', ...job, attempt: 1 });
}

/** Queues poll `job.attempt`, one poll interval from now. */
export async function enqueuePoll(deps: WorkerDeps, job: CiPollJob): Promise<void> {
  const delayMs = (deps.ciPollIntervalSeconds ?? DEFAULT_CI_POLL_INTERVAL_SECONDS) * 1_000;
  await deps.jobs.enqueueEvent(ciPollJobId(job.runKey, job.attempt), job, { delayMs });
}
