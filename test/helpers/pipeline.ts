import type { Command } from '../../src/domain/commands/schema.js';
import type { Effect } from '../../src/domain/pipeline/effects.js';
import { buildStageFacts, type RunEvent, type StageFacts } from '../../src/domain/pipeline/events.js';
import type { StageJob } from '../../src/domain/pipeline/jobs.js';
import type { Stage } from '../../src/domain/pipeline/phase.js';
import { planRun } from '../../src/domain/pipeline/plan-run.js';
import { startStage } from '../../src/domain/pipeline/progress.js';
import type { Run, RunRef, TestCase, Usage } from '../../src/domain/pipeline/run.js';
import { DEFAULT_RUN_SETTINGS, type RunSettings } from '../../src/domain/pipeline/settings.js';
import { transition } from '../../src/domain/pipeline/transition.js';

/** Builders for pipeline tests: runs, matching events, and a driver that applies events in order. */

export const NOW = '2026-11-25T12:00:00.000Z';
export const REF = { installationId: 7, owner: 'acme', repo: 'connectors', issue: 42 } as const;

let counter = 0;
function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A freshly planned run for `acme_crm`, waiting for plan approval. */
export function newRun(
  options: { tables?: string[]; settings?: Partial<RunSettings>; sourceExists?: boolean; ref?: RunRef } = {},
): Run {
  const decision = planRun({
    ref: { ...(options.ref ?? REF) },
    repoUrl: 'https://github.com/acme/connectors',
    request: { source: 'acme_crm', docsUrls: [], tables: options.tables ?? ['contacts', 'deals'], notes: '' },
    settings: { ...DEFAULT_RUN_SETTINGS, ...options.settings },
    now: NOW,
    sourceExists: options.sourceExists ?? false,
    activeRun: null,
  });
  if (decision.kind !== 'planned') throw new Error('expected a planned run');
  return decision.run;
}

/** A command event from `actor` on the issue. */
export function command(
  command: Command,
  options: { actor?: string; headSha?: string | null } = {},
): RunEvent {
  return {
    type: 'command',
    id: nextId('delivery'),
    command,
    actor: options.actor ?? 'maintainer',
    target: { kind: 'issue', number: REF.issue },
    headSha: options.headSha ?? null,
  };
}

export const approve = (options: { headSha?: string | null } = {}) => command({ type: 'approve' }, options);

const USAGE: Usage = {
  inputTokens: 1000,
  outputTokens: 200,
  cacheReadTokens: 800,
  cacheWriteTokens: 100,
  costUsd: 0.5,
};

function runningStage(run: Run): Stage {
  if (run.status.kind !== 'running') throw new Error(`run is ${run.status.kind}, not running`);
  return run.status.stage;
}

/** The running stage succeeded with a commit. */
export function succeeded(run: Run, facts: Partial<StageFacts> = {}, usage: Usage = USAGE): RunEvent {
  const stage = runningStage(run);
  return {
    type: 'stage_succeeded',
    id: nextId('result'),
    stage,
    batch: run.batch.number,
    attempt: run.batch.stages[stage].attempt,
    usage,
    durationMs: 60_000,
    commitSha: `${stage}${run.batch.stages[stage].attempt}`.padEnd(40, '0'),
    facts: buildStageFacts(facts),
  };
}

/** The running stage failed its check. */
export function failed(run: Run, reason = 'connector_spec.yaml does not parse'): RunEvent {
  const stage = runningStage(run);
  return {
    type: 'stage_failed',
    id: nextId('result'),
    stage,
    batch: run.batch.number,
    attempt: run.batch.stages[stage].attempt,
    usage: USAGE,
    durationMs: 1_000,
    reason,
  };
}

/** The running stage ran out of budget. */
export function overBudget(run: Run, budget: 'stage' | 'run' = 'stage', limitTokens?: number): RunEvent {
  const stage = runningStage(run);
  return {
    type: 'budget_exceeded',
    id: nextId('result'),
    stage,
    batch: run.batch.number,
    attempt: run.batch.stages[stage].attempt,
    usage: { ...USAGE, costUsd: 8 },
    durationMs: 1_000,
    budget,
    limitUsd: budget === 'stage' ? run.budget.stageUsd : run.budget.runUsd,
    ...(limitTokens === undefined ? {} : { limitTokens }),
  };
}

export const GREEN_TESTS: TestCase[] = [
  { name: 'test_list_tables', outcome: 'passed', message: null },
  { name: 'test_read_terminates', outcome: 'passed', message: null },
];
export const RED_TESTS: TestCase[] = [
  { name: 'test_list_tables', outcome: 'passed', message: null },
  { name: 'test_read_terminates', outcome: 'failed', message: 'offset never settles' },
];

/** The CI run the run waits for finished. */
export function ciDone(
  run: Run,
  conclusion: 'success' | 'failure' | 'cancelled' | 'timed_out',
  tests: TestCase[] = conclusion === 'success' ? GREEN_TESTS : RED_TESTS,
  problem: string | null = null,
): RunEvent {
  if (run.status.kind !== 'waiting_for_ci') throw new Error(`run is ${run.status.kind}, not waiting for CI`);
  return {
    type: 'ci_completed',
    id: nextId('ci'),
    runKey: run.status.runKey,
    conclusion,
    url: `https://github.com/acme/connectors/actions/runs/${counter}`,
    tests,
    logExcerpt: 'E   AssertionError: offset never settles',
    problem,
  };
}

/** Applies events one by one; returns the final run and every effect, in order. */
export function drive(
  run: Run,
  ...events: Array<RunEvent | ((current: Run) => RunEvent)>
): { run: Run; effects: Effect[] } {
  let current = run;
  const effects: Effect[] = [];
  for (const item of events) {
    const event = typeof item === 'function' ? item(current) : item;
    const outcome = transition(current, event, NOW);
    current = outcome.run;
    effects.push(...outcome.effects);
  }
  return { run: current, effects };
}

/** The types of a list of effects, for compact assertions. */
export function types(effects: Effect[]): string[] {
  return effects.map((effect) => effect.type);
}

/** Drives a new run to the gate after `stage` in batch 1 (auth skipped through `/skip-auth` when passing it). */
export function runAtGate(
  stage: 'research' | 'implement' | 'test' | 'docs_spec',
  run: Run = newRun(),
  deferredTables: string[] = ['invoices', 'notes'],
): Run {
  const steps: Array<(current: Run) => RunEvent> = [
    () => approve(),
    (current) => succeeded(current, { tables: current.batch.tables, deferredTables }),
  ];
  if (stage !== 'research') {
    steps.push(
      () => approve(),
      (current) => succeeded(current),
      () => command({ type: 'skip-auth' }),
    );
    steps.push((current) => succeeded(current));
  }
  if (stage === 'test' || stage === 'docs_spec') {
    steps.push(
      () => approve(),
      (current) => succeeded(current),
      (current) => ciDone(current, 'success'),
    );
  }
  if (stage === 'docs_spec')
    steps.push(
      () => approve(),
      (current) => succeeded(current),
    );
  return drive(run, ...steps).run;
}

/** The research job a run for `ref` queues when its plan is approved. */
export function researchJob(ref: RunRef = REF): StageJob {
  const effect = startStage(newRun({ ref, tables: ['contacts'] }), 'research').effects[0];
  if (effect?.type !== 'enqueue_stage') throw new Error('expected an enqueue_stage effect');
  return effect.job;
}
