import type { RunEvent } from '../domain/pipeline/events.js';
import { StageJob, VerificationJob } from '../domain/pipeline/jobs.js';
import type { Usage } from '../domain/pipeline/run.js';
import { StagePartJob, type StagePartResult } from '../domain/pipeline/stage-parts.js';
import { InvariantError, isRetryable } from '../errors.js';
import { type StageControl, StageHandedOverError, type StageResult } from '../ports/stage-runner.js';
import { reportStageFailed } from './report-stage-failed.js';
import { startStageSpend } from './stage-spend.js';
import { isStillWanted, watchStage } from './stage-watch.js';
import type { WorkerDeps } from './worker-deps.js';

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
    /** Aborted when this worker shuts down: the stage hands over after the model call in flight. */
    shutdown?: AbortSignal;
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
    const spent = deps.spendLedger === undefined ? null : await deps.spendLedger.total(job.jobId);
    if (spent !== null && spent.turns > 0) {
      // Earlier attempts (or the parts of a flow) spent on a run that has since moved on: charge it.
      await reportStopped(deps, job, spent.usage, 0);
      log.info('Stage job is no longer wanted by its run; its earlier spend is reported');
      return 'cancelled';
    }
    log.info('Stage job is no longer wanted by its run; skipped');
    return 'skipped';
  }
  const started = deps.clock.now().getTime();
  const spend = await startStageSpend(deps, job);
  const watch = watchStage(deps, job, context.signal);
  const control: StageControl = {
    onTurn: spend.onTurn,
    spentBefore: spend.before,
    beforeCommit: watch.checkNow,
    handOver: () => context.shutdown?.aborted === true,
    ...checkpointsOf(deps, job),
  };
  let result: StageResult;
  try {
    result =
      context.parts === undefined
        ? await deps.stages.runStage(job, watch.signal, control)
        : await deps.stages.finishStage(job, await context.parts(), control);
  } catch (error) {
    if (watch.notWanted()) {
      const usage = await spend.total();
      await reportStopped(deps, job, usage, deps.clock.now().getTime() - started);
      log.info({ costUsd: usage.costUsd }, 'Stage job stopped: its run no longer wants it');
      return 'cancelled';
    }
    // Handed over on shutdown: the job goes back to the queue; its spend so far is in the ledger.
    if (error instanceof StageHandedOverError) throw error;
    if (context.isFinalAttempt || !isRetryable(error))
      await reportCrash(deps, job, error, started, await spend.total());
    throw error;
  } finally {
    watch.stop();
  }
  // The job's whole spend (every attempt, turn by turn), never the result's on top of it. A flow's
  // parent spends nothing itself: its parts recorded theirs.
  if (context.parts === undefined) await spend.reconcile(result.usage);
  const usage = deps.spendLedger === undefined ? result.usage : await spend.total();
  const outcome = {
    id: `${job.jobId}-result`,
    stage: job.stage,
    batch: job.batch,
    attempt: job.attempt,
    usage,
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
  log.info({ outcome: result.outcome, costUsd: usage.costUsd }, 'Stage job finished');
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
  shutdown?: AbortSignal,
): Promise<StagePartResult> {
  const parsed = StagePartJob.safeParse(data);
  if (!parsed.success) throw new InvariantError(`Stage part job has invalid data: ${parsed.error.message}`);
  const { job, agent } = parsed.data;
  if (!(await isStillWanted(deps, job))) {
    deps.log.info({ jobId: job.jobId, agent }, 'Stage part is no longer wanted by its run; skipped');
    return { outcome: 'skipped', agent };
  }
  const spend = await startStageSpend(deps, job);
  const watch = watchStage(deps, job, signal);
  let result: StagePartResult;
  try {
    // A part's budget is its own share: earlier spend of the flow is charged by the parent's result.
    result = await deps.stages.runStagePart(job, agent, watch.signal, {
      onTurn: spend.onTurn,
      handOver: () => shutdown?.aborted === true,
      ...checkpointsOf(deps, job),
    });
  } catch (error) {
    if (!watch.notWanted()) throw error;
    deps.log.info({ jobId: job.jobId, agent }, 'Stage part stopped: its run no longer wants it');
    return { outcome: 'skipped', agent };
  } finally {
    watch.stop();
  }
  if ('usage' in result) await spend.reconcile(result.usage);
  deps.log.info({ jobId: job.jobId, agent, outcome: result.outcome }, 'Stage part finished');
  return result;
}

/** The job's handover checkpoints, when the worker keeps them. */
function checkpointsOf(deps: WorkerDeps, job: StageJob): Pick<StageControl, 'checkpoints'> {
  const store = deps.stageCheckpoints;
  if (store === undefined) return {};
  return {
    checkpoints: {
      load: (agent) => store.load(job.jobId, agent),
      save: (agent, checkpoint) => store.save(job.jobId, agent, checkpoint),
    },
  };
}

/**
 * A stage job that will not be retried again tells its run, so the run fails visibly with the
 * cause instead of waiting forever in `running`.
 */
function reportCrash(deps: WorkerDeps, job: StageJob, error: unknown, started: number, usage: Usage) {
  const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return reportStageFailed(deps, job, {
    usage,
    durationMs: deps.clock.now().getTime() - started,
    reason: `The ${job.stage} job stopped on an infrastructure error and was not retried again: ${cause.slice(0, 1_000)}`,
  });
}

/**
 * A stage job stopped because its run no longer wants it (cancelled, closed, superseded): nothing
 * was committed after the stop, and its result charges what it spent (the run ignores the rest).
 */
function reportStopped(deps: WorkerDeps, job: StageJob, usage: Usage, durationMs: number) {
  return reportStageFailed(deps, job, {
    usage,
    durationMs,
    reason: `The ${job.stage} job was stopped because its run no longer wants it; nothing was committed after the stop.`,
    stopped: true,
  });
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
