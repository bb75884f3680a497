import { unique } from '../unique.js';
import { type BatchMode, ciRunKey, type StageJob, stageJobId } from './jobs.js';
import type { Outcome } from './outcome.js';
import { nextStage, STAGES, type Stage } from './phase.js';
import type { Batch, CiMode, Feedback, Gate, Run, StageRecord } from './run.js';
import { NO_USAGE, totalTokens } from './run.js';
import { requestSelfReview } from './self-review-job.js';

/** A fresh record for a stage that has not run in this batch. */
export function pendingStage(): StageRecord {
  return { state: 'pending', attempt: 0, commitSha: null, usage: NO_USAGE, durationMs: 0, note: null };
}

/** A new batch with every stage pending; batches after the first skip `auth`. */
export function newBatch(number: number, tables: string[]): Batch {
  const stages = Object.fromEntries(STAGES.map((stage) => [stage, pendingStage()])) as Batch['stages'];
  if (number > 1) stages.auth = { ...pendingStage(), state: 'skipped', note: 'first batch only' };
  return { number, tables, stages };
}

/** Replaces one stage's record in the current batch. */
export function updateStage(run: Run, stage: Stage, patch: Partial<StageRecord>): Run {
  const current = run.batch.stages[stage];
  return {
    ...run,
    batch: { ...run.batch, stages: { ...run.batch.stages, [stage]: { ...current, ...patch } } },
  };
}

function batchMode(run: Run, stage: Stage): BatchMode {
  if (run.batch.number === 1 && !run.extension) return 'create';
  return stage === 'research' ? 'append' : 'extend';
}

/**
 * Queues the next attempt of `stage`, handing it the feedback kept for it, unless the run budget is
 * spent, in which case the run pauses and says which budget to raise.
 */
export function startStage(run: Run, stage: Stage): Outcome {
  const spentTokens = totalTokens(run.usage);
  if (run.usage.costUsd >= run.budget.runUsd || spentTokens >= run.budget.runTokens) {
    const overTokens = run.usage.costUsd < run.budget.runUsd;
    const status = {
      kind: 'paused' as const,
      stage,
      budget: 'run' as const,
      spentUsd: run.usage.costUsd,
      limitUsd: run.budget.runUsd,
      ...(overTokens ? { tokens: { spent: spentTokens, limit: run.budget.runTokens } } : {}),
    };
    return {
      run: { ...run, status },
      effects: [{ type: 'post_summary', key: pausedKey(run, stage), summary: { ...status, kind: 'paused' } }],
    };
  }
  const attempt = run.batch.stages[stage].attempt + 1;
  const job = stageJobFor(run, stage, attempt);

  const next = updateStage(
    {
      ...run,
      status: { kind: 'running', stage },
      feedback: run.feedback.filter((item) => item.stage !== stage),
    },
    stage,
    { state: 'running', attempt },
  );
  // No check run while the stage works: GitHub paces writes a second apart, and the status comment
  // and the PR body already say the stage is running. Its check run goes on the commit it makes.
  return { run: next, effects: [{ type: 'enqueue_stage', job }] };
}

function pausedKey(run: Run, stage: Stage): string {
  const limits = `${Math.round(run.budget.runUsd * 100)}-${run.budget.runTokens}`;
  return `paused-b${run.batch.number}-${stage}-a${run.batch.stages[stage].attempt}-${limits}`;
}

/** The newest commit the run knows of on its branch. */
export function headOf(run: Run): string | null {
  let head: string | null = null;
  for (const stage of STAGES) head = run.batch.stages[stage].commitSha ?? head;
  return head;
}

/**
 * Dispatches the bot's workflow for a stage and waits for it; `headSha` is the branch head the
 * dispatch runs on (default: the run's newest commit), which the finished run must match. A
 * moved-head re-check passes its own key (`ciRecheckKey`) and the gate it re-checks.
 */
export function dispatchCi(
  run: Run,
  stage: Stage,
  mode: CiMode,
  attempt = run.batch.stages[stage].attempt,
  headSha: string | null = headOf(run),
  recheck?: { key: string; gate: Gate },
): Outcome {
  const base = recheck?.key ?? ciRunKey(run.ref, stage, run.batch.number, attempt, mode);
  const runKey = freshCiRunKey(run, base, mode);
  const record = {
    runKey,
    stage,
    mode,
    batch: run.batch.number,
    url: null,
    conclusion: 'pending' as const,
    passed: 0,
    failed: 0,
  };
  const status = { kind: 'waiting_for_ci' as const, stage, mode, runKey, headSha };
  return {
    run: {
      ...run,
      status: recheck === undefined ? status : { ...status, recheck: recheck.gate },
      ciRuns: [...run.ciRuns, record].slice(-100),
    },
    effects: [{ type: 'dispatch_ci', runKey, mode, stage, batch: run.batch.number }],
  };
}

/**
 * `base`, or, when the run already dispatched a CI run under it (a live check asked again, a
 * re-check of the same head), `base` with `-c<n>` before the mode: every dispatch has its own key,
 * so its poll, its timeout and its failure report are its own.
 */
export function freshCiRunKey(run: Run, base: string, mode: CiMode): string {
  const taken = new Set(run.ciRuns.map((record) => record.runKey));
  if (!taken.has(base)) return base;
  const stem = base.slice(0, base.length - mode.length - 1);
  let n = 2;
  while (taken.has(`${stem}-c${n}-${mode}`)) n += 1;
  return `${stem}-c${n}-${mode}`;
}

/** Moves past an approved (or auto-approved) stage: the next stage, or the end of the batch. */
export function advancePast(run: Run, stage: Stage): Outcome {
  let next = nextStage(stage);
  while (next !== null && run.batch.stages[next].state === 'skipped') next = nextStage(next);
  return next === null ? completeBatch(run) : startStage(run, next);
}

/**
 * Ends a packaged batch: its tables join the completed ones; with deferred tables left the run asks
 * whether to build the next batch, otherwise it is done and the PR is marked ready. Either way the
 * self-review of the packaged head is queued first (when `selfReview` is on); it gates nothing.
 */
export function completeBatch(run: Run): Outcome {
  const completedTables = unique([...run.completedTables, ...run.batch.tables]);
  const deferredTables = run.deferredTables.filter((table) => !completedTables.includes(table));
  const head = headOf(run);
  const review = requestSelfReview(run, head);
  const queued = head !== null && review.some((effect) => effect.type === 'enqueue_self_review');
  const base: Run = {
    ...run,
    completedTables,
    deferredTables,
    ...(queued ? { selfReviewRequested: { batch: run.batch.number, headSha: head } } : {}),
  };
  if (deferredTables.length > 0) {
    return {
      run: {
        ...base,
        status: { kind: 'awaiting_approval', gate: { kind: 'next_batch' }, headSha: headOf(run) },
      },
      effects: [
        ...review,
        {
          type: 'post_summary',
          key: `batch-done-b${run.batch.number}`,
          summary: { kind: 'batch_done', batch: run.batch.number, deferredTables },
        },
      ],
    };
  }
  return {
    run: { ...base, status: { kind: 'done' } },
    effects: [
      ...review,
      { type: 'post_summary', key: `final-b${run.batch.number}`, summary: { kind: 'final' } },
      { type: 'mark_pull_request_ready' },
    ],
  };
}

/** Starts a new batch for `tables` (research appends, implement extends, auth is skipped). */
export function startBatch(run: Run, tables: string[]): Outcome {
  const deferredTables = run.deferredTables.filter((table) => !tables.includes(table));
  const next: Run = {
    ...run,
    batch: newBatch(run.batch.number + 1, tables),
    deferredTables,
    testIterations: 0,
    lastCiFailure: null,
  };
  return startStage(next, 'research');
}

/** Picks the next batch's tables from the deferred list. */
export function nextBatchTables(run: Run): string[] {
  return run.deferredTables.slice(0, run.settings.maxTablesPerBatch);
}

/** True when `/revise` feedback or review comments are waiting for the next run of `stage`. */
export function hasKeptFeedback(run: Run, stage: Stage): boolean {
  return run.feedback.some((item) => item.stage === stage && item.origin === 'command');
}

/** At most this many feedback items wait on a run; the oldest go first. */
export const MAX_FEEDBACK_ITEMS = 200;

/** Keeps `item` for the next run of its stage; returns how many old items the cap dropped. */
export function appendFeedback(run: Run, item: Feedback): { run: Run; dropped: number } {
  const feedback = [...run.feedback, item];
  const dropped = Math.max(0, feedback.length - MAX_FEEDBACK_ITEMS);
  return { run: { ...run, feedback: feedback.slice(dropped) }, dropped };
}

/**
 * The job of `stage`'s attempt `attempt` as the run stands: what `startStage` queues, and what a run
 * rebuilt after Redis lost its queue queues again for the attempt it was running.
 */
export function stageJobFor(run: Run, stage: Stage, attempt: number): StageJob {
  const feedback = run.feedback.filter((item) => item.stage === stage);
  return {
    jobId: stageJobId(run.ref, stage, run.batch.number, attempt),
    ref: run.ref,
    source: run.source,
    branch: run.branch,
    stage,
    batch: run.batch.number,
    attempt,
    mode: batchMode(run, stage),
    tables: run.batch.tables,
    completedTables: run.completedTables,
    feedback,
    docsUrls: run.request.docsUrls,
    notes: run.request.notes,
    ciFailure: stage === 'test' ? run.lastCiFailure : null,
    budgetUsd: run.budget.stageUsd,
    runBudgetLeftUsd: Math.max(0, run.budget.runUsd - run.usage.costUsd),
    budgetTokens: run.budget.stageTokens,
    runTokensLeft: Math.max(0, run.budget.runTokens - totalTokens(run.usage)),
    layout: run.settings.layout,
    webFetchAllowedDomains: run.settings.webFetch.allowedDomains,
  };
}
