import type { RunEvent } from '../domain/pipeline/events.js';
import { StageJob, VerificationJob } from '../domain/pipeline/jobs.js';
import { NO_USAGE } from '../domain/pipeline/run.js';
import { StagePartJob, type StagePartResult } from '../domain/pipeline/stage-parts.js';
import { InvariantError, isRetryable } from '../errors.js';
import type { StageResult } from '../ports/stage-runner.js';
import type { WorkerDeps } from './worker-deps.js';

/** True when the run still waits for exactly this stage attempt (not cancelled, not superseded). */
async function isStillWanted(deps: WorkerDeps, job: StageJob): Promise<boolean> {
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

/**
 * The `phases` queue processor for stage jobs: runs the stage, then reports the result to the run
 * through the events queue (id `<job id>-result`, so a retried job reports once). The worker never
 * writes run state itself.
 */
export async function processStageJob(
  deps: WorkerDeps,
  data: unknown,
  context: {
    signal: AbortSignal;
    isFinalAttempt: boolean;
    /** Set for the parent of a flow: the results of its parallel parts, to verify and commit once. */
    parts?: () => Promise<StagePartResult[]>;
  },
): Promise<string> {
  const parsed = StageJob.safeParse(data);
  if (!parsed.success) throw new InvariantError(`Stage job has invalid data: ${parsed.error.message}`);
  const job = parsed.data;
  const log = deps.log.child({
    jobId: job.jobId,
    issue: job.ref.issue,
    stage: job.stage,
    attempt: job.attempt,
  });
  if (!(await isStillWanted(deps, job))) {
    log.info('Stage job is no longer wanted by its run; skipped');
    return 'skipped';
  }
  const started = deps.clock.now().getTime();
  let result: StageResult;
  try {
    result =
      context.parts === undefined
        ? await deps.stages.runStage(job, context.signal)
        : await deps.stages.finishStage(job, await context.parts());
  } catch (error) {
    if (context.isFinalAttempt || !isRetryable(error)) await reportCrash(deps, job, error, started);
    throw error;
  }
  const outcome = {
    id: `${job.jobId}-result`,
    stage: job.stage,
    batch: job.batch,
    attempt: job.attempt,
    usage: result.usage,
    durationMs: Math.max(0, deps.clock.now().getTime() - started),
  };
  let event: RunEvent;
  switch (result.outcome) {
    case 'succeeded':
      event = { type: 'stage_succeeded', ...outcome, commitSha: result.commitSha, facts: result.facts };
      break;
    case 'failed':
      event = { type: 'stage_failed', ...outcome, reason: result.reason };
      break;
    case 'budget_exceeded':
      event = {
        type: 'budget_exceeded',
        ...outcome,
        budget: result.budget,
        limitUsd: result.limitUsd,
        ...(result.limitTokens === undefined ? {} : { limitTokens: result.limitTokens }),
      };
      break;
  }
  await deps.jobs.enqueueEvent(event.id, { kind: 'run_event', ref: job.ref, event });
  log.info({ outcome: result.outcome, costUsd: result.usage.costUsd }, 'Stage job finished');
  return result.outcome;
}

/**
 * The processor of one parallel part of a stage (a child of the stage's flow): runs its agent and
 * returns the file changes for the parent to commit. A part the run no longer wants is skipped.
 */
export async function processStagePartJob(
  deps: WorkerDeps,
  data: unknown,
  signal: AbortSignal,
): Promise<StagePartResult> {
  const parsed = StagePartJob.safeParse(data);
  if (!parsed.success) throw new InvariantError(`Stage part job has invalid data: ${parsed.error.message}`);
  const { job, agent } = parsed.data;
  if (!(await isStillWanted(deps, job))) {
    deps.log.info({ jobId: job.jobId, agent }, 'Stage part is no longer wanted by its run; skipped');
    return { outcome: 'skipped', agent };
  }
  const result = await deps.stages.runStagePart(job, agent, signal);
  deps.log.info({ jobId: job.jobId, agent, outcome: result.outcome }, 'Stage part finished');
  return result;
}

/**
 * A stage job that will not be retried again tells its run, so the run fails visibly with the
 * cause instead of waiting forever in `running`.
 */
async function reportCrash(deps: WorkerDeps, job: StageJob, error: unknown, started: number): Promise<void> {
  const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const event: RunEvent = {
    type: 'stage_failed',
    id: `${job.jobId}-result`,
    stage: job.stage,
    batch: job.batch,
    attempt: job.attempt,
    usage: NO_USAGE,
    durationMs: Math.max(0, deps.clock.now().getTime() - started),
    reason: `The ${job.stage} job stopped on an infrastructure error and was not retried again: ${cause.slice(0, 1_000)}`,
  };
  await deps.jobs.enqueueEvent(event.id, { kind: 'run_event', ref: job.ref, event });
}

/** The processor for verification jobs: re-checks a stage on a moved head and reports back. */
export async function processVerificationJob(deps: WorkerDeps, data: unknown): Promise<string> {
  const parsed = VerificationJob.safeParse(data);
  if (!parsed.success) throw new InvariantError(`Verification job has invalid data: ${parsed.error.message}`);
  const job = parsed.data;
  const check = await deps.stages.verifyStage(job);
  const event: RunEvent = {
    type: 'verification_completed',
    id: `${job.jobId}-result`,
    headSha: job.headSha,
    ...check,
  };
  await deps.jobs.enqueueEvent(event.id, { kind: 'run_event', ref: job.ref, event });
  return check.ok ? 'ok' : 'failed';
}
