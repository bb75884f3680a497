import { describe, expect, it } from 'vitest';
import { InMemoryGitHub } from '../../test/fakes/in-memory-github.js';
import { InMemoryRunStore } from '../../test/fakes/in-memory-run-store.js';
import { ScriptedSelfReviewer } from '../../test/fakes/scripted-self-reviewer.js';
import { ScriptedStageRunner } from '../../test/fakes/scripted-stage-runner.js';
import { approve, drive, GREEN_TESTS, REF, runAtGate, succeeded } from '../../test/helpers/pipeline.js';
import { repoAccessOf } from '../../test/helpers/repo-access.js';
import { createInMemoryJobQueue } from '../adapters/queue/in-memory-job-queue.js';
import type { ExpectedCiRun } from '../domain/ci/ci-run-match.js';
import type { Run } from '../domain/pipeline/run.js';
import { DEFAULT_RUN_SETTINGS } from '../domain/pipeline/settings.js';
import { InvariantError } from '../errors.js';
import { createLogger } from '../logging.js';
import type { CiPort, CiResults, CiRunInfo } from '../ports/ci.js';
import { processEventJob } from './process-event-job.js';
import type { WorkerDeps } from './worker-deps.js';

const START = Date.parse('2026-11-25T12:00:00Z');
const RUN_URL = 'https://github.com/acme/connectors/actions/runs/321';

/** A CI port whose runs the test moves along; it records what the workers asked. */
class ScriptedCi implements CiPort {
  readonly dispatched: string[] = [];
  readonly lookups: string[] = [];
  readonly resultsRead: number[] = [];
  run: CiRunInfo | null = null;
  results: CiResults = { tests: GREEN_TESTS, gates: { pytest: 'passed' }, logExcerpt: '2 passed' };

  async dispatch(params: { runKey: string }): Promise<void> {
    this.dispatched.push(params.runKey);
  }
  readonly expectations: unknown[] = [];
  async findRun(runKey: string, expected?: ExpectedCiRun): Promise<CiRunInfo | null> {
    this.lookups.push(runKey);
    this.expectations.push(expected);
    return this.run;
  }
  readonly cancelled: number[] = [];
  /** What `cancelRun` does: cancel, find the run finished, or fail. */
  cancelOutcome: 'cancelled' | 'finished' | Error = 'cancelled';
  async cancelRun(runId: number): Promise<'cancelled' | 'finished'> {
    this.cancelled.push(runId);
    if (this.cancelOutcome instanceof Error) throw this.cancelOutcome;
    return this.cancelOutcome;
  }
  async getResults(runId: number): Promise<CiResults> {
    this.resultsRead.push(runId);
    return this.results;
  }
}

/**
 * A run whose test stage is running, saved; the stage result is queued as an event so the worker
 * dispatches CI (and queues the first poll) as in production. The clock moves only when told.
 */
async function setUp() {
  let now = START;
  const clock = { now: () => new Date(now) };
  const running: Run = drive(runAtGate('implement'), approve()).run;
  const store = new InMemoryRunStore();
  await store.save(REF, { run: running, outbox: null, appliedEventIds: [] }, 0);
  const ci = new ScriptedCi();
  const github = new InMemoryGitHub();
  const jobs = createInMemoryJobQueue({ clock });
  const deps: WorkerDeps = {
    store,
    jobs,
    github: () => github,
    ci: () => ci,
    ciPollIntervalSeconds: 60,
    stages: new ScriptedStageRunner(),
    selfReviewer: new ScriptedSelfReviewer(),
    settings: async () => DEFAULT_RUN_SETTINGS,
    access: repoAccessOf(github),
    clock,
    log: createLogger({ level: 'silent' }),
  };
  const refuse = () => Promise.reject(new InvariantError('no phase jobs in this test'));
  jobs.process({
    event: async (job, context) => void (await processEventJob(deps, context.jobId, job)),
    stage: refuse,
    verification: refuse,
    selfReview: refuse,
  });
  await jobs.enqueueEvent('test-result', { kind: 'run_event', ref: REF, event: succeeded(running) });
  await jobs.drain();
  // The dispatch looked the key up first (it dispatches only what does not exist): polls count from here.
  expect(ci.lookups).toHaveLength(1);
  ci.lookups.length = 0;
  ci.expectations.length = 0;
  const waiting = (await store.load(REF))?.run;
  const status = waiting?.status;
  if (status?.kind !== 'waiting_for_ci' || !waiting)
    throw new Error(`expected the run to wait for CI, not ${status?.kind}`);
  const origin = { headBranch: waiting.branch, headSha: status.headSha ?? null, event: 'workflow_dispatch' };
  return {
    /** The Actions run `run`, started as the bot dispatched it (its branch, head and event), unless `patch` says otherwise. */
    ciRun: (run: Omit<CiRunInfo, keyof typeof origin>, patch: Partial<CiRunInfo> = {}): CiRunInfo => ({
      ...origin,
      ...run,
      ...patch,
    }),
    origin,
    ci,
    deps,
    github,
    jobs,
    store,
    runKey: status.runKey,
    /** Moves the clock by `minutes` and runs every job that became due. */
    async after(minutes: number) {
      now += minutes * 60_000;
      await jobs.drain();
    },
    run: async () => (await store.load(REF))?.run,
    statusComment: () => github.comments.find((comment) => comment.key === 'status')?.body ?? '',
  };
}

describe('dispatch_ci', () => {
  it('dispatches once when the effect runs again after the dispatch (a crash or a later effect failing)', async () => {
    const t = await setUp();
    expect(t.ci.dispatched).toEqual([t.runKey]);
    t.ci.run = t.ciRun({ id: 321, url: RUN_URL, status: 'in_progress', conclusion: null });
    const stored = await t.store.load(REF);
    if (stored === null) throw new Error('no run');
    const dispatch = {
      type: 'dispatch_ci',
      runKey: t.runKey,
      mode: 'simulate',
      stage: 'test',
      batch: 1,
    } as const;
    const { version, ...record } = stored;
    await t.store.save(REF, { ...record, outbox: { eventId: 'test-result', effects: [dispatch] } }, version);

    // Any event for the run makes the worker replay the saved outbox first.
    const stray = {
      type: 'verification_completed',
      id: 'stray',
      headSha: 'f'.repeat(40),
      ok: true,
      message: null,
    } as const;
    await t.jobs.enqueueEvent('replay', { kind: 'run_event', ref: REF, event: stray });
    await t.jobs.drain();

    expect(t.ci.dispatched).toEqual([t.runKey]);
    expect((await t.store.load(REF))?.outbox).toBeNull();
  });
});

describe('onCiPollJob (the lost-webhook fallback and the CI timeouts)', () => {
  it('finds the finished run when the webhook never came and applies its results', async () => {
    const t = await setUp();
    t.ci.run = null;
    await t.after(1);
    t.ci.run = t.ciRun({ id: 321, url: RUN_URL, status: 'in_progress', conclusion: null });
    await t.after(1);
    t.ci.run = t.ciRun({ id: 321, url: RUN_URL, status: 'completed', conclusion: 'success' });

    await t.after(1);

    expect(t.ci.dispatched).toEqual([t.runKey]);
    expect(t.ci.lookups).toEqual([t.runKey, t.runKey, t.runKey]);
    expect(t.ci.resultsRead).toEqual([321]);
    const run = await t.run();
    expect(run?.status).toMatchObject({ kind: 'awaiting_approval', gate: { kind: 'stage', stage: 'test' } });
    expect(run?.ciRuns.find((record) => record.runKey === t.runKey)).toMatchObject({
      url: RUN_URL,
      conclusion: 'success',
      passed: 2,
      failed: 0,
    });
    await t.after(60);
    expect(t.ci.lookups).toHaveLength(3);
    expect(t.jobs.failed()).toEqual([]);
  });

  it.each([
    ['another branch', { headBranch: 'lakeflow-connector/other' }],
    ['another head commit', { headSha: 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed' }],
    ['another event', { event: 'pull_request' }],
  ])(
    'never applies a finished run of its key on %s, and keeps polling until the real one finishes',
    async (_what, patch) => {
      const t = await setUp();
      t.ci.run = t.ciRun({ id: 999, url: RUN_URL, status: 'completed', conclusion: 'success' }, patch);

      await t.after(1);
      await t.after(1);

      expect(t.ci.lookups).toEqual([t.runKey, t.runKey]);
      expect(t.ci.resultsRead).toEqual([]);
      expect((await t.run())?.status.kind).toBe('waiting_for_ci');

      t.ci.run = t.ciRun({ id: 321, url: RUN_URL, status: 'completed', conclusion: 'success' });
      await t.after(1);

      expect(t.ci.resultsRead).toEqual([321]);
      expect((await t.run())?.status).toMatchObject({ kind: 'awaiting_approval', gate: { stage: 'test' } });
    },
  );

  it('asks the CI port for the run on the branch and head it dispatched', async () => {
    const t = await setUp();

    await t.after(1);

    expect(t.ci.expectations).toEqual([
      { runKey: t.runKey, branch: t.origin.headBranch, headSha: t.origin.headSha },
    ]);
    expect(t.origin.headSha).toMatch(/\S/);
  });

  it('does not poll before the interval has passed', async () => {
    const t = await setUp();

    await t.jobs.drain();

    expect(t.ci.lookups).toEqual([]);
  });

  it('fails the stage with timed_out when the run never appears', async () => {
    const t = await setUp();

    for (let minute = 1; minute <= 9; minute += 1) await t.after(1);
    const beforeTimeout = await t.run();
    await t.after(1);

    expect(beforeTimeout?.status.kind).toBe('waiting_for_ci');
    const run = await t.run();
    expect(run?.status).toMatchObject({ kind: 'failed', stage: 'test' });
    expect(run?.status.kind === 'failed' ? run.status.reason : '').toMatch(
      /^The CI run never appeared: no run of the bot's workflow named `.+-simulate` showed up 10 minute\(s\) after it was dispatched\. Is the workflow installed on the default branch/,
    );
    expect(run?.ciRuns.find((record) => record.runKey === t.runKey)?.conclusion).toBe('timed_out');
    expect(t.statusComment()).toContain('The CI run never appeared');
    expect(t.ci.resultsRead).toEqual([]);
  });

  it('stops waiting with timed_out and a link when the run never finishes, and cancels it', async () => {
    const t = await setUp();
    t.ci.run = t.ciRun({ id: 321, url: RUN_URL, status: 'in_progress', conclusion: null });

    await t.after(44);
    const beforeTimeout = (await t.run())?.status.kind;
    await t.after(1);

    expect(beforeTimeout).toBe('waiting_for_ci');
    const run = await t.run();
    expect(run?.status).toMatchObject({ kind: 'failed', stage: 'test' });
    expect(run?.status.kind === 'failed' ? run.status.reason : '').toBe(
      `[The CI run](${RUN_URL}) did not finish within 45 minute(s) (it was still running); the bot stopped waiting and cancelled it. Comment \`/retry\` to run it again.`,
    );
    expect(t.ci.cancelled).toEqual([321]);
    expect(run?.ciRuns.find((record) => record.runKey === t.runKey)).toMatchObject({
      url: RUN_URL,
      conclusion: 'timed_out',
    });
  });

  it('still stops waiting when the stuck run cannot be cancelled, and says to cancel it by hand', async () => {
    const t = await setUp();
    t.ci.run = t.ciRun({ id: 321, url: RUN_URL, status: 'queued', conclusion: null });
    t.ci.cancelOutcome = new Error('403 Resource not accessible by integration');

    await t.after(45);

    const run = await t.run();
    expect(run?.status.kind === 'failed' ? run.status.reason : '').toBe(
      `[The CI run](${RUN_URL}) did not finish within 45 minute(s) (it is still queued); the bot stopped waiting. Cancel it on GitHub if it is stuck, then comment \`/retry\`.`,
    );
  });

  it('uses the timeouts the run snapshotted from the repository config', async () => {
    const t = await setUp();
    const stored = await t.store.load(REF);
    if (!stored) throw new Error('no run');
    const settings = { ...stored.run.settings, ci: { appearTimeoutMinutes: 3, runTimeoutMinutes: 45 } };
    await t.store.save(REF, { ...stored, run: { ...stored.run, settings } }, stored.version);

    await t.after(1);
    await t.after(1);
    await t.after(1);

    expect((await t.run())?.status.kind).toBe('failed');
  });

  it('is stale and applies nothing once the webhook has delivered the result', async () => {
    const t = await setUp();
    t.ci.run = t.ciRun({ id: 321, url: RUN_URL, status: 'completed', conclusion: 'success' });
    await t.jobs.enqueueEvent('delivery-1', {
      kind: 'workflow_run',
      ref: REF,
      runKey: t.runKey,
      runId: 321,
      conclusion: 'success',
      url: RUN_URL,
      ...t.origin,
    });
    await t.jobs.drain();
    const applied = await t.store.load(REF);

    const outcome = await processEventJob(t.deps, `${t.runKey}-poll-1`, {
      kind: 'ci_poll',
      ref: REF,
      runKey: t.runKey,
      dispatchedAt: new Date(START).toISOString(),
      attempt: 1,
    });
    await t.after(5);

    expect(outcome).toBe('stale');
    expect(t.ci.lookups).toEqual([]);
    expect(t.ci.resultsRead).toEqual([321]);
    expect((await t.store.load(REF))?.version).toBe(applied?.version);
  });
});
