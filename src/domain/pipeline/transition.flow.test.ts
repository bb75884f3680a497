import { describe, expect, it } from 'vitest';
import {
  approve,
  ciDone,
  command,
  drive,
  failed,
  NOW,
  newRun,
  overBudget,
  RED_TESTS,
  runAtGate,
  succeeded,
  types,
} from '../../../test/helpers/pipeline.js';
import type { Effect } from './effects.js';
import type { StageJob } from './jobs.js';
import { NO_USAGE, type Run } from './run.js';
import { DEFAULT_RUN_SETTINGS } from './settings.js';
import { transition } from './transition.js';

function stageJobs(effects: Effect[]): StageJob[] {
  return effects.flatMap((effect) => (effect.type === 'enqueue_stage' ? [effect.job] : []));
}

function afterCredentials(): Run {
  return drive(
    newRun(),
    approve(),
    (r) => succeeded(r),
    approve(),
    (r) => succeeded(r),
  ).run;
}

describe('transition', () => {
  describe('when the plan is approved', () => {
    it('creates the branch and queues research with a deterministic job id', () => {
      const { run, effects } = drive(newRun(), approve());

      expect(run.status).toEqual({ kind: 'running', stage: 'research' });
      expect(types(effects)).toEqual(['ensure_branch', 'enqueue_stage', 'sync_status']);
      expect(stageJobs(effects)[0]).toMatchObject({
        jobId: 'acme-connectors-42-b1-research-a1',
        stage: 'research',
        batch: 1,
        attempt: 1,
        mode: 'create',
        tables: ['contacts', 'deals'],
        budgetUsd: 8,
        runBudgetLeftUsd: 25,
      });
    });
  });

  it('puts one check run per stage on the commit the stage made, and none while a stage works', () => {
    const checks: Effect[] = [];
    const committed: Array<{ sha: string; stageChecks: Effect[] }> = [];
    let run = newRun();
    for (const step of [
      approve(),
      (r: Run) => succeeded(r, { tables: r.batch.tables }),
      approve(),
      (r: Run) => succeeded(r),
      command({ type: 'skip-auth' }),
      (r: Run) => succeeded(r),
      approve(),
      (r: Run) => succeeded(r),
      (r: Run) => ciDone(r, 'failure'),
      (r: Run) => succeeded(r),
      (r: Run) => ciDone(r, 'success'),
      approve(),
      (r: Run) => succeeded(r),
      approve(),
      (r: Run) => succeeded(r),
      (r: Run) => ciDone(r, 'success'),
    ]) {
      const event = typeof step === 'function' ? step(run) : step;
      const outcome = transition(run, event, NOW);
      run = outcome.run;
      const stepChecks = outcome.effects.filter((effect) => effect.type === 'upsert_check_run');
      checks.push(...stepChecks);
      if (event.type === 'stage_succeeded') committed.push({ sha: event.commitSha, stageChecks: stepChecks });
    }

    expect(run.status).toEqual({ kind: 'done' });
    expect(checks.filter((check) => check.type === 'upsert_check_run' && check.state === 'queued')).toEqual(
      [],
    );
    expect(committed.length).toBeGreaterThan(5);
    for (const { sha, stageChecks } of committed)
      expect(stageChecks).toEqual([expect.objectContaining({ state: 'success', headSha: sha })]);
  });

  describe('when research succeeds', () => {
    it('opens the gate bound to the commit, with the tables and deferred tables it found', () => {
      const start = drive(newRun({ tables: [] }), approve()).run;

      const { run, effects } = drive(start, (r) =>
        succeeded(r, {
          tables: ['contacts', 'deals'],
          deferredTables: ['invoices', 'contacts'],
          authMethod: 'OAuth 2.0',
        }),
      );

      expect(run.status).toEqual({
        kind: 'awaiting_approval',
        gate: { kind: 'stage', stage: 'research' },
        headSha: 'research1'.padEnd(40, '0'),
      });
      expect(run.batch.tables).toEqual(['contacts', 'deals']);
      expect(run.deferredTables).toEqual(['invoices']);
      expect(run.usage.costUsd).toBe(0.5);
      expect(types(effects)).toEqual([
        'ensure_pull_request',
        'upsert_check_run',
        'post_summary',
        'sync_status',
      ]);
    });

    it('goes straight on when the repository auto-approves research, still posting the summary', () => {
      const start = drive(newRun({ settings: { autoApprove: ['research'] } }), approve()).run;

      const { run, effects } = drive(start, (r) => succeeded(r));

      expect(run.status).toEqual({ kind: 'running', stage: 'auth' });
      expect(types(effects)).toContain('post_summary');
    });
  });

  describe('when auth is committed', () => {
    it('waits for credentials, then dispatches the live auth check on /approve', () => {
      const waiting = afterCredentials();

      const { run, effects } = drive(waiting, approve());

      expect(waiting.status).toMatchObject({ kind: 'awaiting_credentials', lastCheck: 'none' });
      expect(run.status).toMatchObject({ kind: 'waiting_for_ci', stage: 'auth', mode: 'auth' });
      expect(effects[0]).toMatchObject({
        type: 'dispatch_ci',
        mode: 'auth',
        runKey: 'acme-connectors-42-b1-auth-a1-auth',
      });
    });

    it('moves to implement when the live check passes', () => {
      const { run } = drive(afterCredentials(), approve(), (r) => ciDone(r, 'success'));

      expect(run.auth).toBe('verified');
      expect(run.status).toEqual({ kind: 'running', stage: 'implement' });
    });

    it('stays at the credentials gate and reports the problem when the live check fails', () => {
      const { run, effects } = drive(afterCredentials(), approve(), (r) =>
        ciDone(r, 'failure', [], '401 Unauthorized'),
      );

      expect(run.status).toMatchObject({ kind: 'awaiting_credentials', lastCheck: 'failed' });
      expect(effects).toContainEqual(
        expect.objectContaining({
          type: 'post_summary',
          summary: expect.objectContaining({ problem: '401 Unauthorized' }),
        }),
      );
    });

    it('gives each live check asked again its own run key, so its poll, timeout and failure are its own', () => {
      const dispatchKey = (effects: Effect[]) =>
        effects.flatMap((effect) => (effect.type === 'dispatch_ci' ? [effect.runKey] : []));
      const first = drive(afterCredentials(), approve(), (r) => ciDone(r, 'failure', [], 'dispatch refused'));

      const second = drive(first.run, approve());
      const third = drive(second.run, (r) => ciDone(r, 'failure', [], '401'), approve());

      expect(dispatchKey(first.effects)).toEqual(['acme-connectors-42-b1-auth-a1-auth']);
      expect(dispatchKey(second.effects)).toEqual(['acme-connectors-42-b1-auth-a1-c2-auth']);
      expect(dispatchKey(third.effects)).toEqual(['acme-connectors-42-b1-auth-a1-c3-auth']);
      expect(third.run.status).toMatchObject({
        kind: 'waiting_for_ci',
        runKey: 'acme-connectors-42-b1-auth-a1-c3-auth',
      });
    });

    it('goes on in simulate mode and labels the PR on /skip-auth', () => {
      const { run, effects } = drive(afterCredentials(), command({ type: 'skip-auth' }));

      expect(run.auth).toBe('skipped');
      expect(run.status).toEqual({ kind: 'running', stage: 'implement' });
      expect(effects[0]).toEqual({ type: 'set_labels', add: ['needs-live-testing'], remove: [] });
    });
  });

  describe('when the tests run in CI', () => {
    it('hands the failure to the tester and goes green on the next run', () => {
      const atTest = drive(runAtGate('implement'), approve(), (r) => succeeded(r)).run;

      const red = drive(atTest, (r) => ciDone(r, 'failure'));
      const green = drive(
        red.run,
        (r) => succeeded(r),
        (r) => ciDone(r, 'success'),
      );

      expect(stageJobs(red.effects)[0]).toMatchObject({
        stage: 'test',
        attempt: 2,
        ciFailure: { tests: RED_TESTS, logExcerpt: 'E   AssertionError: offset never settles' },
      });
      expect(green.run.status).toMatchObject({
        kind: 'awaiting_approval',
        gate: { kind: 'stage', stage: 'test' },
      });
      expect(green.run.testIterations).toBe(2);
      const summary = green.effects.find((effect) => effect.type === 'post_summary');
      expect(summary).toMatchObject({
        summary: { kind: 'tests', ciRuns: [{ conclusion: 'failure' }, { conclusion: 'success' }] },
      });
    });

    it('fails the stage after maxTestIterations red runs, and /retry starts counting again', () => {
      const start = runAtGate('implement', newRun({ settings: { maxTestIterations: 2 } }));

      const capped = drive(
        start,
        approve(),
        (r) => succeeded(r),
        (r) => ciDone(r, 'failure'),
        (r) => succeeded(r),
        (r) => ciDone(r, 'failure'),
      );
      const retried = drive(capped.run, command({ type: 'retry' }));

      expect(capped.run.status).toMatchObject({ kind: 'failed', stage: 'test' });
      expect(capped.run.status.kind === 'failed' && capped.run.status.reason).toContain('after 2 CI run(s)');
      expect(retried.run.testIterations).toBe(0);
      expect(retried.run.status).toEqual({ kind: 'running', stage: 'test' });
    });

    it('fails without another agent attempt when CI results cannot be read', () => {
      const atTest = drive(runAtGate('implement'), approve(), (r) => succeeded(r)).run;

      const { run } = drive(atTest, (r) => ciDone(r, 'failure', [], 'The results artifact is missing.'));

      expect(run.status).toEqual({
        kind: 'failed',
        stage: 'test',
        reason: 'The results artifact is missing.',
      });
    });
  });

  describe('when a batch is packaged', () => {
    it('keeps the gates and the artifact link the package run reported, for the summaries', () => {
      const url = 'https://github.com/acme/connectors/actions/runs/77';
      const packaged = drive(
        runAtGate('docs_spec'),
        approve(),
        (r) => succeeded(r),
        (r) => ({
          ...ciDone(r, 'success'),
          url,
          gates: { pytest: 'passed', merged_source: 'passed', pylint: 'passed', wheel: 'passed' },
          artifactUrl: `${url}/artifacts/5`,
        }),
      );

      expect(packaged.run.ciRuns.at(-1)).toMatchObject({
        stage: 'package',
        conclusion: 'success',
        gates: { wheel: 'passed', pylint: 'passed' },
        artifactUrl: `${url}/artifacts/5`,
      });
      const summary = packaged.effects.find((effect) => effect.type === 'post_summary');
      expect(summary).toMatchObject({ summary: { kind: 'batch_done' } });
    });

    it('asks about the next batch while deferred tables remain, then builds it without auth', () => {
      const packaged = drive(
        runAtGate('docs_spec'),
        approve(),
        (r) => succeeded(r),
        (r) => ciDone(r, 'success'),
      ).run;

      const next = drive(packaged, approve());

      expect(packaged.status).toMatchObject({ kind: 'awaiting_approval', gate: { kind: 'next_batch' } });
      expect(packaged.completedTables).toEqual(['contacts', 'deals']);
      expect(next.run.batch).toMatchObject({ number: 2, tables: ['invoices', 'notes'] });
      expect(next.run.batch.stages.auth.state).toBe('skipped');
      expect(stageJobs(next.effects)[0]).toMatchObject({
        jobId: 'acme-connectors-42-b2-research-a1',
        mode: 'append',
        completedTables: ['contacts', 'deals'],
      });
    });

    it('finishes and marks the PR ready when nothing is deferred', () => {
      const { run, effects } = drive(
        runAtGate('docs_spec', newRun(), []),
        approve(),
        (r) => succeeded(r),
        (r) => ciDone(r, 'success'),
      );

      expect(run.status).toEqual({ kind: 'done' });
      expect(types(effects).slice(-3)).toEqual(['post_summary', 'mark_pull_request_ready', 'sync_status']);
    });

    it('keeps tables of earlier batches out of the scope when the next research documents them all', () => {
      const packaged = drive(
        runAtGate('docs_spec'),
        approve(),
        (r) => succeeded(r),
        (r) => ciDone(r, 'success'),
      ).run;

      const { run, effects } = drive(
        packaged,
        approve(),
        (r) => succeeded(r, { tables: ['contacts', 'deals', 'invoices', 'notes'] }),
        approve(),
      );

      expect(run.batch.tables).toEqual(['invoices', 'notes']);
      expect(stageJobs(effects).at(-1)).toMatchObject({
        stage: 'implement',
        tables: ['invoices', 'notes'],
        completedTables: ['contacts', 'deals'],
      });
    });

    it('skips auth in the second batch and extends the implementation', () => {
      const packaged = drive(
        runAtGate('docs_spec'),
        approve(),
        (r) => succeeded(r),
        (r) => ciDone(r, 'success'),
      ).run;

      const { effects } = drive(packaged, approve(), (r) => succeeded(r), approve());

      expect(stageJobs(effects).map((job) => [job.stage, job.mode])).toEqual([
        ['research', 'append'],
        ['implement', 'extend'],
      ]);
    });
  });

  describe('when a budget runs out', () => {
    it('pauses, and /approve raises the budget by the configured step and re-runs the stage', () => {
      const start = drive(newRun(), approve()).run;

      const paused = drive(start, (r) => overBudget(r, 'stage'));
      const resumed = drive(paused.run, approve());

      expect(paused.run.status).toMatchObject({
        kind: 'paused',
        stage: 'research',
        budget: 'stage',
        limitUsd: 8,
      });
      expect(resumed.run.budget.stageUsd).toBe(13);
      expect(stageJobs(resumed.effects)[0]).toMatchObject({ stage: 'research', attempt: 2, budgetUsd: 13 });
    });

    it('pauses on a token budget, and /approve raises that budget by its step', () => {
      const start = drive(newRun(), approve()).run;

      const paused = drive(start, (r) => overBudget(r, 'stage', 4_000_000));
      const resumed = drive(paused.run, approve());

      expect(paused.run.status).toMatchObject({
        kind: 'paused',
        budget: 'stage',
        tokens: { limit: 4_000_000 },
      });
      expect(resumed.run.budget).toMatchObject({ stageTokens: 6_000_000, stageUsd: 8 });
      expect(stageJobs(resumed.effects)[0]).toMatchObject({ attempt: 2, budgetTokens: 6_000_000 });
    });

    it('pauses before the next stage once the run token budget is used', () => {
      const settings = { budget: { ...DEFAULT_RUN_SETTINGS.budget, runTokens: 2_000 } };
      const start = drive(newRun({ settings }), approve()).run;

      const { run } = drive(start, (r) => succeeded(r), approve());

      expect(run.status).toMatchObject({
        kind: 'paused',
        stage: 'auth',
        budget: 'run',
        tokens: { spent: 2_100, limit: 2_000 },
      });
    });

    it('pauses before the next stage once the run budget is spent', () => {
      const start = drive(
        newRun({
          settings: { budget: { ...DEFAULT_RUN_SETTINGS.budget, runUsd: 1, stageUsd: 1, raiseStepUsd: 2 } },
        }),
        approve(),
      ).run;

      const { run } = drive(
        start,
        (r) =>
          succeeded(
            r,
            {},
            { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 1.2 },
          ),
        approve(),
      );

      expect(run.status).toMatchObject({
        kind: 'paused',
        stage: 'auth',
        budget: 'run',
        spentUsd: 1.2,
        limitUsd: 1,
      });
    });
  });

  describe('when the branch moved after a summary', () => {
    const moved = 'f'.repeat(40);

    it('re-checks the stage on the new head before approving', () => {
      const { run, effects } = drive(runAtGate('implement'), approve({ headSha: moved }));

      expect(run.status).toMatchObject({ kind: 'verifying', headSha: moved });
      expect(types(effects)).toEqual(['enqueue_verification', 'reply', 'sync_status']);
    });

    const verified = (headSha: string, ok: boolean) =>
      ({
        type: 'verification_completed',
        id: `v-${headSha.slice(0, 4)}-${ok}`,
        headSha,
        ok,
        message: ok ? null : 'list_tables lost `deals`',
      }) as const;

    it('approves once the re-check passes, and fails the stage when it does not', () => {
      const verifying = drive(runAtGate('implement'), approve({ headSha: moved })).run;
      const check = (ok: boolean) =>
        ({
          type: 'verification_completed',
          id: `v-${ok}`,
          headSha: moved,
          ok,
          message: ok ? null : 'list_tables lost `deals`',
        }) as const;

      expect(transition(verifying, check(true), NOW).run.status).toEqual({ kind: 'running', stage: 'test' });
      expect(transition(verifying, check(false), NOW).run.status).toMatchObject({
        kind: 'failed',
        stage: 'implement',
      });
    });

    it('checks the files of the batch tables, not an empty list', () => {
      const { effects } = drive(runAtGate('implement'), approve({ headSha: moved }));

      const job = effects.find((effect) => effect.type === 'enqueue_verification');
      expect(job).toMatchObject({
        job: { stage: 'implement', tables: ['contacts', 'deals'], headSha: moved },
      });
    });

    it('re-runs the tests in CI on the new head at the test gate, and approves only when they pass', () => {
      const verifying = drive(runAtGate('test'), approve({ headSha: moved })).run;
      const checked = transition(verifying, verified(moved, true), NOW);

      expect(checked.run.status).toMatchObject({
        kind: 'waiting_for_ci',
        stage: 'test',
        mode: 'simulate',
        headSha: moved,
        recheck: { kind: 'stage', stage: 'test' },
        runKey: `acme-connectors-42-b1-test-a1-r${moved.slice(0, 12)}-simulate`,
      });
      expect(checked.effects).toContainEqual(
        expect.objectContaining({ type: 'dispatch_ci', mode: 'simulate', stage: 'test' }),
      );
      expect(drive(checked.run, (r) => ciDone(r, 'success')).run.status).toEqual({
        kind: 'running',
        stage: 'docs_spec',
      });
      const red = drive(checked.run, (r) => ciDone(r, 'failure')).run;
      expect(red.status).toMatchObject({ kind: 'failed', stage: 'test' });
      expect(red.status.kind === 'failed' ? red.status.reason : '').toMatch(
        /^After the push of `fffffff`, \*test & fix\* no longer passes its check: .*test_read_terminates/,
      );
      expect(red.testIterations).toBe(verifying.testIterations);
    });

    it('does not re-run CI when the file check of the new head fails', () => {
      const verifying = drive(runAtGate('test'), approve({ headSha: moved })).run;

      const { run, effects } = transition(verifying, verified(moved, false), NOW);

      expect(run.status).toMatchObject({ kind: 'failed', stage: 'test' });
      expect(types(effects)).not.toContain('dispatch_ci');
    });

    it('re-runs the package checks on the new head at the next-batch gate before starting the batch', () => {
      const atBatchGate = drive(
        runAtGate('docs_spec'),
        approve(),
        (r) => succeeded(r),
        (r) => ciDone(r, 'success'),
      ).run;
      expect(atBatchGate.status).toMatchObject({ kind: 'awaiting_approval', gate: { kind: 'next_batch' } });

      const { run: verifying, effects } = drive(atBatchGate, approve({ headSha: moved }));
      expect(verifying.status).toMatchObject({ kind: 'verifying', gate: { kind: 'next_batch' } });
      expect(effects.find((effect) => effect.type === 'enqueue_verification')).toMatchObject({
        job: { stage: 'package', tables: ['contacts', 'deals'], headSha: moved },
      });
      const rechecking = transition(verifying, verified(moved, true), NOW).run;
      expect(rechecking.status).toMatchObject({
        kind: 'waiting_for_ci',
        stage: 'package',
        mode: 'package',
        recheck: { kind: 'next_batch' },
      });

      const next = drive(rechecking, (r) => ({ ...ciDone(r, 'success'), regeneratedCommit: 'e'.repeat(40) }));
      expect(next.run.status).toEqual({ kind: 'running', stage: 'research' });
      expect(next.run.batch.number).toBe(2);
      expect(next.effects).toContainEqual(
        expect.objectContaining({ type: 'upsert_check_run', stage: 'package', headSha: 'e'.repeat(40) }),
      );
      const red = drive(rechecking, (r) => ciDone(r, 'failure')).run;
      expect(red.status).toMatchObject({ kind: 'failed', stage: 'package' });
      expect(red.batch.number).toBe(1);
    });

    it('approves directly when the head is the one summarised', () => {
      const gate = runAtGate('implement');
      const head = gate.status.kind === 'awaiting_approval' ? gate.status.headSha : null;

      const { run } = drive(gate, approve({ headSha: head }));

      expect(run.status).toEqual({ kind: 'running', stage: 'test' });
    });
  });

  describe('when feedback arrives', () => {
    it('keeps /revise sent while a stage runs and re-runs the stage with it when it ends', () => {
      const running = drive(newRun(), approve()).run;

      const { run, effects } = drive(
        running,
        command({ type: 'revise', feedback: 'include archived deals' }),
        (r) => succeeded(r),
      );

      expect(run.status).toEqual({ kind: 'running', stage: 'research' });
      expect(stageJobs(effects)[0]).toMatchObject({
        attempt: 2,
        feedback: [
          { stage: 'research', origin: 'command', text: 'include archived deals', author: 'maintainer' },
        ],
      });
      expect(run.feedback).toEqual([]);
    });

    it('feeds PR review comments to the next /revise of the stage that wrote the file', () => {
      const gate = runAtGate('implement');
      const review = {
        type: 'review_feedback' as const,
        id: 'review-1',
        author: 'reviewer',
        text: 'paginate with cursors',
        path: 'src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py',
      };

      const { effects } = drive(gate, review, command({ type: 'revise', feedback: 'see review' }));

      expect(stageJobs(effects)[0]?.feedback.map((item) => [item.origin, item.text])).toEqual([
        ['review', 'paginate with cursors'],
        ['command', 'see review'],
      ]);
    });
  });

  describe('when a result is stale', () => {
    it('ignores a stage result from an older attempt and logs it', () => {
      const first = drive(newRun(), approve()).run;
      const stale = succeeded(first);
      const second = drive(first, (r) => failed(r), command({ type: 'retry' })).run;

      const outcome = transition(second, stale, NOW);

      expect(outcome.run.status).toEqual(second.status);
      expect(outcome.run.batch.stages.research).toEqual(second.batch.stages.research);
      expect(outcome.run.usage.costUsd).toBeCloseTo(second.usage.costUsd + 0.5, 6);
      expect(types(outcome.effects)).toEqual(['log', 'sync_status']);
    });

    it('ignores a late stage result after /cancel but charges what the stopped job spent', () => {
      const running = drive(newRun(), approve()).run;
      const late = succeeded(running);
      const cancelled = drive(running, command({ type: 'cancel' })).run;

      const outcome = transition(cancelled, late, NOW);

      expect(outcome.run.status.kind).toBe('cancelled');
      expect(outcome.run.batch.stages.research).toMatchObject({ state: 'failed', commitSha: null });
      expect(outcome.run.batch.stages.research.usage.costUsd).toBe(0.5);
      expect(outcome.run.usage.costUsd).toBe(0.5);
      expect(types(outcome.effects)).toEqual(['log', 'sync_status']);
    });

    it('charges a stage result with no spend nothing and leaves the run as it is', () => {
      const running = drive(newRun(), approve()).run;
      const late = { ...succeeded(running), usage: NO_USAGE };
      const cancelled = drive(running, command({ type: 'cancel' })).run;

      const outcome = transition(cancelled, late, NOW);

      expect(outcome.run).toBe(cancelled);
      expect(types(outcome.effects)).toEqual(['log']);
    });
  });

  describe('while a stage runs', () => {
    it("shows the running attempt's spend so far, and its result charges the whole spend once", () => {
      const running = drive(newRun(), approve()).run;
      const progress = (costUsd: number, id: string) => ({
        type: 'stage_progress' as const,
        id,
        stage: 'research' as const,
        batch: 1,
        attempt: 1,
        spentSoFar: { ...NO_USAGE, inputTokens: 10, costUsd },
      });

      const shown = drive(running, progress(0.2, 'p1'), progress(0.4, 'p2'), progress(0.3, 'p-late')).run;
      const done = drive(shown, (current) => succeeded(current)).run;

      expect(shown.batch.stages.research.live).toMatchObject({ attempt: 1, usage: { costUsd: 0.4 } });
      expect(shown.usage.costUsd).toBe(0);
      expect(done.batch.stages.research.live).toBeUndefined();
      expect(done.batch.stages.research.usage.costUsd).toBe(0.5);
      expect(done.usage.costUsd).toBe(0.5);
      expect(transition(done, progress(0.6, 'p3'), NOW).run).toBe(done);
    });
  });

  describe('when the issue is edited', () => {
    it('re-plans while the plan waits for approval', () => {
      const request = { source: 'acme_crm', docsUrls: [], tables: ['deals'], notes: '' };

      const { run, effects } = drive(newRun(), { type: 'request_edited', id: 'edit-1', request });

      expect(run.batch.tables).toEqual(['deals']);
      expect(types(effects)).toEqual(['upsert_plan', 'sync_status']);
    });

    it('says the edit changes nothing once the plan is approved', () => {
      const running = drive(newRun(), approve()).run;
      const request = { source: 'acme_crm', docsUrls: [], tables: ['deals'], notes: '' };

      const outcome = transition(running, { type: 'request_edited', id: 'edit-2', request }, NOW);

      expect(outcome.run).toBe(running);
      expect(types(outcome.effects)).toEqual(['reply']);
    });
  });

  describe('after completion', () => {
    const done = () =>
      drive(
        runAtGate('docs_spec', newRun(), []),
        approve(),
        (r) => succeeded(r),
        (r) => ciDone(r, 'success'),
      ).run;

    it('starts a new batch for /add-tables, skipping tables already built', () => {
      const { run, effects } = drive(done(), command({ type: 'add-tables', tables: ['deals', 'invoices'] }));

      expect(run.batch).toMatchObject({ number: 2, tables: ['invoices'] });
      expect(effects[0]).toMatchObject({
        type: 'reply',
        body: expect.stringContaining('already built: `deals`'),
      });
    });

    it('runs the skipped live check on /approve, and on a pass removes needs-live-testing', () => {
      const checking = drive(done(), approve());
      const passed = drive(checking.run, (r) => ciDone(r, 'success'));

      expect(checking.run.status).toMatchObject({ kind: 'waiting_for_ci', stage: 'test', mode: 'live' });
      expect(checking.effects).toContainEqual(
        expect.objectContaining({
          type: 'dispatch_ci',
          mode: 'live',
          runKey: expect.stringMatching(/-live$/),
        }),
      );
      expect(passed.run.status).toEqual({ kind: 'done' });
      expect(passed.run.auth).toBe('verified');
      expect(passed.effects).toContainEqual({ type: 'set_labels', add: [], remove: ['needs-live-testing'] });
      expect(passed.effects).toContainEqual(
        expect.objectContaining({
          type: 'post_summary',
          summary: expect.objectContaining({ kind: 'live_check', passed: true }),
        }),
      );
      expect(drive(passed.run, approve()).effects).toMatchObject([
        { type: 'reply', body: expect.stringContaining('nothing left to approve') },
      ]);
    });

    it('keeps the run done after a failed live check, says why, and lets /approve try again under a new run key', () => {
      const checking = drive(done(), approve());
      const failedCheck = drive(checking.run, (r) => ciDone(r, 'failure', RED_TESTS));
      const again = drive(failedCheck.run, approve());

      expect(failedCheck.run.status).toEqual({ kind: 'done' });
      expect(failedCheck.run.auth).toBe('skipped');
      expect(failedCheck.effects.some((effect) => effect.type === 'set_labels')).toBe(false);
      expect(failedCheck.effects).toContainEqual(
        expect.objectContaining({
          type: 'post_summary',
          summary: expect.objectContaining({
            kind: 'live_check',
            passed: false,
            reason: expect.stringContaining('live test run failed'),
          }),
        }),
      );
      const keys = [checking.run, again.run].map((r) =>
        r.status.kind === 'waiting_for_ci' ? r.status.runKey : null,
      );
      expect(keys[0]).not.toBeNull();
      expect(keys[1]).not.toBeNull();
      expect(keys[0]).not.toBe(keys[1]);
    });

    it('restarts from a phase and re-runs everything after it, keeping earlier output', () => {
      const { run } = drive(done(), command({ type: 'restart', phase: 'spec' }));

      expect(run.status).toEqual({ kind: 'running', stage: 'docs_spec' });
      expect(run.batch.stages.implement.state).toBe('done');
      expect(run.batch.stages.package.state).toBe('pending');
      expect(run.batch.stages.docs_spec.attempt).toBe(2);
    });
  });

  describe('when the source already exists in the repository', () => {
    it('plans an extension: auth skipped and the implementation extended', () => {
      const { effects } = drive(newRun({ sourceExists: true }), approve(), (r) => succeeded(r), approve());

      expect(stageJobs(effects).map((job) => [job.stage, job.mode])).toEqual([
        ['research', 'append'],
        ['implement', 'extend'],
      ]);
    });
  });
});
