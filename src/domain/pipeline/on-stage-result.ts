import { unique } from '../unique.js';
import { openGate, stageSummary } from './gates.js';
import {
  holdResult,
  isAheadOfRun,
  isCurrentResult,
  settleHeldResults,
  takeHeldResult,
} from './held-results.js';
import { stageJobId } from './jobs.js';
import type { Outcome } from './outcome.js';
import { unchanged } from './outcome.js';
import { dispatchCi, hasKeptFeedback, headOf, stageJobFor, startStage, updateStage } from './progress.js';
import { addUsage, HELD_RESULTS_KEPT, type Run, type TestCase, totalTokens } from './run.js';
import type { StageResultEvent } from './stage-result-events.js';

type StageEvent = StageResultEvent;

/**
 * Adds the job's spend to the stage and the run. The job reports its whole spend once (every
 * attempt), so what `stage_progress` showed while it ran (`live`) is dropped, never added.
 */
function account(run: Run, event: StageEvent): Run {
  const { live: _shown, ...record } = run.batch.stages[event.stage];
  const charged = {
    ...run,
    batch: { ...run.batch, stages: { ...run.batch.stages, [event.stage]: record } },
  };
  const updated = updateStage(charged, event.stage, {
    usage: addUsage(record.usage, event.usage),
    durationMs: record.durationMs + event.durationMs,
  });
  return { ...updated, usage: addUsage(run.usage, event.usage) };
}

/**
 * The result of a job the run no longer waits for (cancelled, superseded): its spend was real, so
 * the run is charged (and the stage, when it is still that attempt's); nothing else changes.
 */
function chargeStale(run: Run, event: StageEvent): Outcome {
  const log = {
    type: 'log' as const,
    level: 'warn' as const,
    message: 'Ignored a stage result that is not the one the run waits for',
    details: { stage: event.stage, batch: event.batch, attempt: event.attempt, status: run.status.kind },
  };
  if (Object.values(event.usage).every((value) => value === 0)) return unchanged(run, log);
  const sameAttempt =
    run.batch.number === event.batch && run.batch.stages[event.stage].attempt === event.attempt;
  const charged = sameAttempt
    ? account(run, { ...event, durationMs: 0 })
    : { ...run, usage: addUsage(run.usage, event.usage) };
  return { run: charged, effects: [log] };
}

/**
 * A job that stopped itself because the run did not want it when it looked. When the run is
 * running that very attempt again (it was rebuilt behind the job, then asked for it), the attempt's
 * job is queued again in case the stopped copy still held its id when the run asked (a queued or
 * finished run of it makes that a no-op), and that job reports the attempt's whole spend, so
 * nothing is charged here; otherwise the spend is charged as any stale result's is. The run's
 * state never changes.
 */
function chargeStopped(run: Run, event: StageEvent): Outcome {
  if (isCurrentResult(run, event)) {
    return unchanged(
      run,
      { type: 'enqueue_stage', job: stageJobFor(run, event.stage, event.attempt) },
      {
        type: 'log',
        level: 'info',
        message: 'A stopped copy of the running attempt reported; its job is queued again',
        details: { stage: event.stage, batch: event.batch, attempt: event.attempt },
      },
    );
  }
  return chargeStale(run, event);
}

/** A stage job finished: succeeded (verified commit), failed, or stopped by a budget. */
export function onStageResult(run: Run, event: StageEvent): Outcome {
  if (event.type === 'stage_failed' && event.stopped) return chargeStopped(run, event);
  if (!isCurrentResult(run, event))
    return isAheadOfRun(run, event) ? holdResult(run, event) : chargeStale(run, event);
  const charged = account(run, event);
  switch (event.type) {
    case 'stage_succeeded':
      return onSucceeded(charged, event);
    case 'stage_failed':
      return failStage(charged, event.stage, event.reason);
    case 'budget_exceeded': {
      const spentUsd = event.budget === 'run' ? charged.usage.costUsd : event.usage.costUsd;
      const spentTokens = totalTokens(event.budget === 'run' ? charged.usage : event.usage);
      const tokens =
        event.limitTokens === undefined ? {} : { tokens: { spent: spentTokens, limit: event.limitTokens } };
      const status = {
        kind: 'paused' as const,
        stage: event.stage,
        budget: event.budget,
        spentUsd,
        limitUsd: event.limitUsd,
        ...tokens,
      };
      return {
        run: updateStage({ ...charged, status }, event.stage, { state: 'pending' }),
        effects: [
          { type: 'post_summary', key: `paused-${event.id}`, summary: status },
          checkRun(
            charged,
            event.stage,
            'failure',
            null,
            `${event.stage}: paused, ${event.budget} budget reached`,
          ),
        ],
      };
    }
  }
}

/**
 * After any transition: when the run now runs an attempt whose result it holds (its job ran before
 * the run, rebuilt behind it, asked for it), that result is applied at once and the attempt's
 * `enqueue_stage` (a no-op on a job id that ran) goes; held results the run can no longer ask for
 * are charged and dropped.
 */
export function applyHeldResults(outcome: Outcome): Outcome {
  let current = outcome;
  for (let taken = 0; taken < HELD_RESULTS_KEPT; taken += 1) {
    const held = takeHeldResult(current.run);
    if (held === null) break;
    const { result } = held;
    const jobId = stageJobId(held.run.ref, result.stage, result.batch, result.attempt);
    const applied = onStageResult(held.run, result);
    current = {
      run: applied.run,
      effects: [
        ...current.effects.filter((effect) => effect.type !== 'enqueue_stage' || effect.job.jobId !== jobId),
        {
          type: 'log',
          level: 'info',
          message: 'Applied the result the run held for the attempt it asked for',
          details: { stage: result.stage, batch: result.batch, attempt: result.attempt },
        },
        ...applied.effects,
      ],
    };
  }
  const settled = settleHeldResults(current.run);
  return settled === current.run ? current : { run: settled, effects: current.effects };
}

/** Fails a stage: the run stops and says why and what to do. */
export function failStage(
  run: Run,
  stage: StageEvent['stage'],
  reason: string,
  tests: TestCase[] = [],
): Outcome {
  const failed = updateStage({ ...run, status: { kind: 'failed', stage, reason } }, stage, {
    state: 'failed',
  });
  const attempt = run.batch.stages[stage].attempt;
  return {
    run: failed,
    effects: [
      {
        type: 'post_summary',
        key: `failed-b${run.batch.number}-${stage}-a${attempt}-i${run.testIterations}`,
        summary: { kind: 'stage_failed', stage, batch: run.batch.number, reason, tests },
      },
      checkRun(run, stage, 'failure', null, `${stage}: failed`),
    ],
  };
}

function checkRun(
  run: Run,
  stage: StageEvent['stage'],
  state: 'success' | 'failure',
  headSha: string | null,
  title: string,
) {
  return { type: 'upsert_check_run' as const, stage, batch: run.batch.number, state, headSha, title };
}

function onSucceeded(run: Run, event: Extract<StageEvent, { type: 'stage_succeeded' }>): Outcome {
  const { stage, commitSha, facts } = event;
  const previousHead = headOf(run);
  let next = updateStage(run, stage, { state: 'done', commitSha });
  if (stage === 'research') next = recordResearch(next, facts.tables, facts.deferredTables);
  const effects: Outcome['effects'] = [
    { type: 'ensure_pull_request' },
    checkRun(next, stage, 'success', commitSha, `${stage}: passed its check`),
  ];
  // The first commit on top of the reviewed head (in its batch, or the next batch's first) invalidates
  // the self-review: the label goes until the next review passes. Later commits find it gone (a review
  // ending after them leaves it alone), so they ask GitHub nothing.
  const reviewed = run.selfReviewRequested?.headSha;
  if (
    run.pullRequest !== null &&
    reviewed !== undefined &&
    (previousHead === null || previousHead === reviewed)
  )
    effects.push({ type: 'set_labels', add: [], remove: [run.settings.selfReviewedLabel] });
  const after = continueAfter(next, event);
  return { run: after.run, effects: [...effects, ...after.effects] };
}

/**
 * Research chose the batch's tables (or kept the requested ones) and listed the rest as deferred.
 * Research of a later batch documents every table the doc covers: those of earlier batches are not
 * in this batch's scope again.
 */
function recordResearch(run: Run, tables: string[], deferred: string[]): Run {
  const fresh = tables.filter((table) => !run.completedTables.includes(table));
  const batchTables = fresh.length > 0 ? fresh : run.batch.tables;
  const deferredTables = unique([...run.deferredTables, ...deferred]).filter(
    (table) => !batchTables.includes(table) && !run.completedTables.includes(table),
  );
  return { ...run, batch: { ...run.batch, tables: batchTables }, deferredTables };
}

function continueAfter(run: Run, event: Extract<StageEvent, { type: 'stage_succeeded' }>): Outcome {
  const { stage, commitSha, facts } = event;
  switch (stage) {
    case 'test':
      return dispatchCi(
        { ...run, testIterations: run.testIterations + 1 },
        'test',
        'simulate',
        undefined,
        commitSha,
      );
    case 'package':
      return dispatchCi(run, 'package', 'package', undefined, commitSha);
    case 'auth':
      if (run.auth === 'pending') {
        if (hasKeptFeedback(run, 'auth')) return startStage(run, 'auth');
        return {
          run: { ...run, status: { kind: 'awaiting_credentials', headSha: commitSha, lastCheck: 'none' } },
          effects: [
            {
              type: 'post_summary',
              key: `credentials-b${run.batch.number}-a${run.batch.stages.auth.attempt}`,
              summary: { kind: 'credentials', headSha: commitSha, lastCheck: 'none', problem: null },
            },
          ],
        };
      }
      return openGate(run, stage, commitSha, stageSummary(run, stage, commitSha, facts));
    case 'research':
    case 'implement':
    case 'docs_spec':
      return openGate(run, stage, commitSha, stageSummary(run, stage, commitSha, facts));
  }
}
