import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRunStore } from '../../src/adapters/redis/redis-run-store.js';
import { createAgentStageRunner } from '../../src/agent-runtime/agent-stage-runner.js';
import { type App, startApp } from '../../src/app.js';
import { DEFAULT_PRICES } from '../../src/domain/accounting/pricing.js';
import type { Run, RunRef } from '../../src/domain/pipeline/run.js';
import { connectorPaths } from '../../src/domain/target-repo/connector-paths.js';
import { systemClock } from '../../src/ports/clock.js';
import type { ModelPort } from '../../src/ports/model.js';
import type { RunStore } from '../../src/ports/run-store.js';
import { EditingStageRunner } from '../fakes/editing-stage-runner.js';
import { attachFakeActions, type FakeActions } from '../fakes/fake-actions/index.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { approve as approveEvent, ciDone, drive, newRun, runAtGate, succeeded } from '../helpers/pipeline.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';
import { seedFixtureRunAtGate } from '../helpers/seed-fixture-run.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const SOURCE = 'example_crm';
const BRANCH = `lakeflow-connector/${SOURCE}`;
const BOT = 'lakeflow-bot[bot]';
const PATHS = connectorPaths(SOURCE);

/** No model call happens here: the stages are stood in for, and a re-check runs no agent. */
const NO_MODEL: ModelPort = {
  createMessage: () => Promise.reject(new Error('no model call is expected in this test')),
};

type Gate = 'implement' | 'test' | 'next_batch';

/**
 * `/approve` after someone pushed to the run's branch, through the real app: the new head is
 * checked by the production stage runner's verifier (with the batch's tables), then, at the test
 * gate and the next-batch gate, by the CI run the gate was opened on, dispatched on that head
 * (real pytest on the fixture connector in the fake Actions). Only then does approval count.
 */
describe('a branch that moved before /approve, end to end', () => {
  let fake: FakeGitHub;
  let actions: FakeActions;
  let app: App;
  let redis: Redis;
  let store: RunStore;
  let prefix: string;
  let deliveries = 0;

  beforeAll(async () => {
    fake = await startFakeGitHub({ webhookSecret: 'moved-head-secret', botLogin: BOT });
    prefix = uniquePrefix();
    redis = createTestRedis();
    store = createRedisRunStore(redis, { prefix: `${prefix}:` });
    const env = appTestEnv({
      github: fake,
      prefix,
      overrides: { ANTHROPIC_API_KEY: 'unused-in-this-test', CI_POLL_INTERVAL_SECONDS: '3600' },
    });
    app = await startApp({
      env,
      ports: {
        stages: (github) => {
          const production = createAgentStageRunner({
            model: NO_MODEL,
            agents: new Map(),
            github,
            prices: DEFAULT_PRICES,
            clock: systemClock,
          });
          return new EditingStageRunner(github, (job) => production.verifyStage(job));
        },
      },
      Octokit: AppTestOctokit,
    });
    fake.webhookUrl = `http://127.0.0.1:${app.port}/api/github/webhooks`;
  }, 60_000);

  afterEach(async () => {
    await actions?.close();
    fake.assertNoViolations();
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
    if (redis) {
      await deleteKeysByPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  const load = async (ref: RunRef) => (await store.load(ref))?.run;

  /** The run of a new repository holding the fixture, standing at `gate` on a branch with the connector. */
  const seedRunAtGate = (repo: string, gate: Gate) =>
    seedFixtureRunAtGate({
      fake,
      store,
      owner: OWNER,
      repo,
      source: SOURCE,
      branch: BRANCH,
      build: (ref) => {
        const planned: Run = {
          ...newRun({ ref, tables: ['contacts', 'companies'] }),
          source: SOURCE,
          branch: BRANCH,
        };
        if (gate !== 'next_batch') return runAtGate(gate, planned, ['activities']);
        return drive(
          runAtGate('docs_spec', planned, ['activities']),
          approveEvent(),
          (r) => succeeded(r),
          (r) => ciDone(r, 'success'),
        ).run;
      },
    });

  /** Someone other than the bot pushes `files` to the run's branch; returns the new head. */
  const push = (ref: RunRef, files: Record<string, string | null>) =>
    fake.pushCommit({ owner: OWNER, repo: ref.repo, branch: BRANCH, message: 'a maintainer edit', files });

  async function approve(ref: RunRef): Promise<void> {
    deliveries += 1;
    const payload = fake.issueCommentCreatedPayload({
      owner: OWNER,
      repo: ref.repo,
      issue: ref.issue,
      body: '/approve',
      user: 'maintainer',
    });
    expect(
      await fake.sendWebhook('issue_comment', payload, { id: `moved-${deliveries}-${prefix}` }),
    ).toBeLessThan(300);
  }

  const settled = (ref: RunRef, done: (run: Run) => boolean, what: string) =>
    waitFor(
      async () => {
        const run = await load(ref);
        return run !== undefined && (done(run) || run.status.kind === 'failed') ? run : null;
      },
      60_000,
      what,
    );

  const replies = (ref: RunRef) =>
    fake.comments(OWNER, ref.repo, ref.issue).filter((comment) => comment.body.includes('the branch moved'));

  it('re-runs the tests on the new head at the test gate and goes on once they pass', async () => {
    const ref = await seedRunAtGate('moved-test-green', 'test');
    actions = attachFakeActions(fake, { owner: OWNER, repo: ref.repo });
    const pushed = push(ref, { [PATHS.readme]: '# example_crm\n\nEdited by a maintainer.\n' });

    await approve(ref);
    const after = await settled(
      ref,
      (run) => run.status.kind === 'awaiting_approval' && run.batch.stages.docs_spec.state === 'done',
      'the docs ∥ spec gate',
    );
    await actions.idle();

    expect(after.status).toMatchObject({
      kind: 'awaiting_approval',
      gate: { kind: 'stage', stage: 'docs_spec' },
    });
    const [recheck] = actions.runs();
    expect(actions.runs()).toHaveLength(1);
    expect(recheck?.dispatch.inputs.run_key).toBe(
      `${OWNER}-${ref.repo}-7-b1-test-a1-r${pushed.slice(0, 12)}-simulate`,
    );
    expect(recheck?.headSha).toBe(pushed);
    expect(recheck?.summary?.gates.pytest).toBe('passed');
    expect(after.ciRuns.at(-1)).toMatchObject({
      runKey: recheck?.dispatch.inputs.run_key,
      conclusion: 'success',
    });
    expect(replies(ref)).toHaveLength(1);
    expect(replies(ref)[0]?.body).toContain(`to \`${pushed.slice(0, 7)}\``);
  }, 90_000);

  it('fails the test stage with the failing test when the push breaks a test, and goes no further', async () => {
    const ref = await seedRunAtGate('moved-test-red', 'test');
    actions = attachFakeActions(fake, { owner: OWNER, repo: ref.repo });
    const testFile = `${PATHS.testsDir}test_${SOURCE}_lakeflow_connect.py`;
    const tests = fake.filesAt(OWNER, ref.repo, BRANCH)[testFile];
    if (tests === undefined) throw new Error(`no ${testFile} in the fixture`);
    const pushed = push(ref, {
      [testFile]: `${tests}\n\ndef test_pushed_by_hand():\n    assert 1 == 2, "broken by the push"\n`,
    });

    await approve(ref);
    const failed = await settled(ref, () => false, 'the failed test stage');
    await actions.idle();

    expect(failed.status).toMatchObject({ kind: 'failed', stage: 'test' });
    const reason = failed.status.kind === 'failed' ? failed.status.reason : '';
    expect(reason).toContain(`After the push of \`${pushed.slice(0, 7)}\`, *test & fix* no longer passes`);
    expect(reason).toContain('test_pushed_by_hand');
    expect(failed.batch.stages.test.attempt).toBe(1);
    expect(failed.batch.stages.docs_spec.state).toBe('pending');
    expect(actions.runs()).toHaveLength(1);
  }, 90_000);

  it('fails implement on the verifier’s reason when the push removes the module, with no CI run', async () => {
    const ref = await seedRunAtGate('moved-implement', 'implement');
    actions = attachFakeActions(fake, { owner: OWNER, repo: ref.repo });
    push(ref, { [PATHS.implementation]: null });

    await approve(ref);
    const failed = await settled(ref, () => false, 'the failed implement stage');

    expect(failed.status).toMatchObject({ kind: 'failed', stage: 'implement' });
    const reason = failed.status.kind === 'failed' ? failed.status.reason : '';
    expect(reason).toMatch(
      /^After the push of `[0-9a-f]{7}`, \*implement\* no longer passes its check: .*example_crm\.py/,
    );
    expect(failed.batch.stages.test.state).toBe('pending');
    expect(actions.runs()).toEqual([]);
  }, 90_000);

  it('checks the batch’s tables on the new head: a push that drops one from list_tables fails implement', async () => {
    const ref = await seedRunAtGate('moved-implement-tables', 'implement');
    actions = attachFakeActions(fake, { owner: OWNER, repo: ref.repo });
    const module = fake.filesAt(OWNER, ref.repo, BRANCH)[PATHS.implementation] ?? '';
    const dropped = module.replace('return list(TABLE_SCHEMAS)', 'return ["contacts", "activities"]');
    expect(dropped).not.toBe(module);
    push(ref, { [PATHS.implementation]: dropped });

    await approve(ref);
    const failed = await settled(ref, () => false, 'the failed implement stage');

    expect(failed.status).toMatchObject({ kind: 'failed', stage: 'implement' });
    expect(failed.status.kind === 'failed' ? failed.status.reason : '').toContain('companies');
    expect(actions.runs()).toEqual([]);
  }, 90_000);

  it('re-runs the package checks on the new head at the next-batch gate before starting the batch', async () => {
    const ref = await seedRunAtGate('moved-next-batch', 'next_batch');
    actions = attachFakeActions(fake, { owner: OWNER, repo: ref.repo });
    const pushed = push(ref, { [PATHS.readme]: '# example_crm\n\nEdited after packaging.\n' });

    await approve(ref);
    const next = await settled(ref, (run) => run.batch.number === 2, 'batch 2');
    await actions.idle();

    expect(next.batch.tables).toEqual(['activities']);
    const [recheck] = actions.runs();
    expect(actions.runs()).toHaveLength(1);
    expect(recheck?.dispatch.inputs).toMatchObject({
      mode: 'package',
      run_key: `${OWNER}-${ref.repo}-7-b1-package-a1-r${pushed.slice(0, 12)}-package`,
    });
    expect(recheck?.headSha).toBe(pushed);
    expect(recheck?.summary?.gates.pytest).toBe('passed');
  }, 90_000);
});
