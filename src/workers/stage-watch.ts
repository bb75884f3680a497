import type { StageJob } from '../domain/pipeline/jobs.js';
import type { WorkerDeps } from './worker-deps.js';

/** Default time between two checks that the run still wants a running stage. */
const DEFAULT_WATCH_MS = 1_000;

/** Why a watched stage was stopped: its run no longer wants it (cancelled, closed, superseded). */
export class StageNotWantedError extends Error {
  override readonly name = 'StageNotWantedError';
}

/** True when the run still waits for exactly this stage attempt (not cancelled, not superseded). */
export async function isStillWanted(deps: Pick<WorkerDeps, 'store'>, job: StageJob): Promise<boolean> {
  const stored = await deps.store.load(job.ref);
  if (stored === null) return false;
  const { run } = stored;
  return (
    run.status.kind === 'running' &&
    run.status.stage === job.stage &&
    run.batch.number === job.batch &&
    run.batch.stages[job.stage].attempt === job.attempt
  );
}

/** A running stage under watch: `signal` aborts once the run stops wanting it. */
export interface StageWatch {
  /** Aborted by the queue (its own signal) or when the run no longer wants the stage. */
  signal: AbortSignal;
  /** True when the stop came from the run (cancelled, closed, superseded), not the queue. */
  notWanted(): boolean;
  /** Checks now; throws `StageNotWantedError` (and aborts `signal`) when the run no longer wants it. */
  checkNow(): Promise<void>;
  stop(): void;
}

/**
 * Watches the run of a running stage job: every `stageWatchIntervalMs` (default 1 s) it reads the
 * run, and aborts the job's signal when the run no longer waits for this attempt, so the model call
 * in flight is aborted within about a second wherever the `/cancel` was applied. A failed read is
 * logged and tried again at the next tick.
 */
export function watchStage(deps: WorkerDeps, job: StageJob, queueSignal: AbortSignal): StageWatch {
  const controller = new AbortController();
  const signal = AbortSignal.any([queueSignal, controller.signal]);
  const stopNow = () => controller.abort(new StageNotWantedError(`The run no longer wants ${job.jobId}`));
  let checking = false;
  const timer = setInterval(() => {
    if (checking || controller.signal.aborted) return;
    checking = true;
    isStillWanted(deps, job)
      .then((wanted) => {
        if (!wanted) stopNow();
      })
      .catch((err: unknown) => deps.log.warn({ err, jobId: job.jobId }, 'Could not check the run of a stage'))
      .finally(() => {
        checking = false;
      });
  }, deps.stageWatchIntervalMs ?? DEFAULT_WATCH_MS);
  timer.unref();
  return {
    signal,
    notWanted: () => controller.signal.aborted,
    async checkNow() {
      if (!controller.signal.aborted && !(await isStillWanted(deps, job))) stopNow();
      controller.signal.throwIfAborted();
    },
    stop: () => clearInterval(timer),
  };
}
