import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packResultsZip } from '../../src/adapters/local-ci/pack-results-zip.js';
import { createRedisRunStore } from '../../src/adapters/redis/redis-run-store.js';
import { type App, startApp } from '../../src/app.js';
import { mergedSourcePath, RESULTS_ARTIFACT_NAME } from '../../src/domain/ci/results-artifact.js';
import type { RunRef } from '../../src/domain/pipeline/run.js';
import { connectorPaths } from '../../src/domain/target-repo/connector-paths.js';
import type { RunStore } from '../../src/ports/run-store.js';
import { EditingStageRunner } from '../fakes/editing-stage-runner.js';
import { attachFakeActions, type FakeActions } from '../fakes/fake-actions/index.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { fixtureFiles } from '../helpers/fixture-files.js';
import { newRun, runAtGate } from '../helpers/pipeline.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';
import { seedFixtureRunAtGate } from '../helpers/seed-fixture-run.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const SOURCE = 'example_crm';
const BRANCH = `lakeflow-connector/${SOURCE}`;
const BOT = 'lakeflow-bot[bot]';
const WORKFLOW = '.github/workflows/lakeflow-connector-tests.yml';
const PATHS = connectorPaths(SOURCE);
const TOKEN = 'ghp_Zx81LqPw03NcVb5RtYu7IoKs2DfGh4Jk6Mn9';
const FORM =
  '### Source name\n\nacme_crm\n\n### API documentation links\n\nhttps://developers.acme.example/api\n\n### Tables of interest\n\ncontacts\n\n### Notes\n\n_No response_\n';

/**
 * Trust in what Actions reports, through the real app: a `workflow_run` is applied only when it is
 * the run the bot dispatched (run key, branch, head, event), and the merged source file CI
 * regenerated goes through the agents' path policy and secret scan before the bot commits it.
 */
describe('what the bot takes from GitHub Actions, end to end', () => {
  let fake: FakeGitHub;
  let actions: FakeActions;
  let app: App;
  let redis: Redis;
  let store: RunStore;
  let prefix: string;
  let deliveries = 0;
  const repos: string[] = [];

  beforeAll(async () => {
    fake = await startFakeGitHub({ webhookSecret: 'ci-trust-secret', botLogin: BOT });
    prefix = uniquePrefix();
    redis = createTestRedis();
    store = createRedisRunStore(redis, { prefix: `${prefix}:` });
    const env = appTestEnv({
      github: fake,
      prefix,
      // Polls never come during a test: only the webhooks the test sends reach the run.
      overrides: { ANTHROPIC_API_KEY: 'unused-in-this-test', CI_POLL_INTERVAL_SECONDS: '3600' },
    });
    app = await startApp({
      env,
      ports: { stages: (github) => new EditingStageRunner(github) },
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

  async function deliver(name: string, payload: unknown): Promise<void> {
    deliveries += 1;
    expect(await fake.sendWebhook(name, payload, { id: `ci-trust-${deliveries}-${prefix}` })).toBeLessThan(
      300,
    );
  }

  /**
   * A repository holding the fixture and the bot's workflow, whose run for `example_crm` stands at
   * the gate after `stage` on a branch with the fixture's connector; returns its ref.
   */
  async function seedRunAtGate(repo: string, stage: 'implement' | 'docs_spec'): Promise<RunRef> {
    repos.push(repo);
    return seedFixtureRunAtGate({
      fake,
      store,
      owner: OWNER,
      repo,
      source: SOURCE,
      branch: BRANCH,
      build: (ref) => runAtGate(stage, { ...newRun({ ref }), source: SOURCE, branch: BRANCH }),
    });
  }

  async function approve(ref: RunRef): Promise<void> {
    await deliver(
      'issue_comment',
      fake.issueCommentCreatedPayload({
        owner: OWNER,
        repo: ref.repo,
        issue: ref.issue,
        body: '/approve',
        user: 'maintainer',
      }),
    );
  }

  const load = async (ref: RunRef) => (await store.load(ref))?.run;

  /** A results zip that says every gate passed, with a test of its own name. */
  async function forgedResults(runKey: string): Promise<Buffer> {
    const dir = await mkdtemp(join(tmpdir(), 'ci-trust-forged-'));
    try {
      const summary = { version: 1, source: SOURCE, mode: 'simulate', runKey, gates: { pytest: 'passed' } };
      await writeFile(join(dir, 'summary.json'), JSON.stringify(summary));
      await writeFile(
        join(dir, 'junit.xml'),
        '<testsuites><testsuite name="pytest" tests="1"><testcase classname="forged" name="test_forged"/></testsuite></testsuites>',
      );
      return await packResultsZip(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it("dispatches with the repository config's environment and folders, snapshotted when the run was planned", async () => {
    const repo = 'trust-config';
    fake.addRepo({
      owner: OWNER,
      repo,
      files: {
        ...(await fixtureFiles()),
        [WORKFLOW]: await readFile(WORKFLOW, 'utf8'),
        '.github/lakeflow-connector-bot.yml': [
          'selfReview: false',
          'maxTestIterations: 1',
          'autoApprove: [research, implement]',
          'environment: connector live',
          'paths:',
          '  sources: connectors/sources',
          '  tests: connectors/tests',
          '  simulatorSpecs: connectors/specs',
          '',
        ].join('\n'),
      },
    });
    fake.setPermission(OWNER, repo, 'maintainer', 'write');
    fake.addIssue({
      owner: OWNER,
      repo,
      number: 9,
      title: '[connector]: acme_crm',
      body: FORM,
      user: 'requester',
      labels: ['lakeflow-connector'],
    });
    const ref: RunRef = { installationId: fake.installationId, owner: OWNER, repo, issue: 9 };
    actions = attachFakeActions(fake, { owner: OWNER, repo });

    await deliver('issues', fake.issueOpenedPayload({ owner: OWNER, repo, number: 9 }));
    await waitFor(
      async () => (await load(ref))?.status.kind === 'awaiting_plan_approval',
      20_000,
      'the plan',
    );
    await approve(ref);
    await waitFor(
      async () => (await load(ref))?.status.kind === 'awaiting_credentials',
      20_000,
      'the credentials gate',
    );
    await deliver(
      'issue_comment',
      fake.issueCommentCreatedPayload({
        owner: OWNER,
        repo,
        issue: 9,
        body: '/skip-auth',
        user: 'maintainer',
      }),
    );
    await waitFor(async () => actions.runs().length === 1, 30_000, 'the test stage dispatch');
    await actions.idle();

    const [dispatched] = actions.runs();
    expect(dispatched?.dispatch.inputs).toEqual({
      source: 'acme_crm',
      mode: 'simulate',
      run_key: expect.stringMatching(/-b1-test-a1-simulate$/),
      environment: 'connector live',
      sources_dir: 'connectors/sources',
      tests_dir: 'connectors/tests',
      simulator_specs_dir: 'connectors/specs',
    });
    expect(dispatched?.inputProblem).toBeNull();
    expect((await load(ref))?.settings).toMatchObject({
      environment: 'connector live',
      layout: {
        sources: 'connectors/sources',
        tests: 'connectors/tests',
        simulatorSpecs: 'connectors/specs',
      },
    });
  }, 90_000);

  it('applies only the workflow_run of the run it dispatched: not one of its title on another branch, commit or event', async () => {
    const ref = await seedRunAtGate('trust-runs', 'implement');
    actions = attachFakeActions(fake, { owner: OWNER, repo: ref.repo, dropWebhooks: true });

    await approve(ref);
    const waiting = await waitFor(
      async () => {
        const run = await load(ref);
        return run?.status.kind === 'waiting_for_ci' ? run : null;
      },
      20_000,
      'the test stage CI run',
    );
    await waitFor(async () => actions.runs().length === 1, 10_000, 'the dispatch');
    await actions.idle();
    if (waiting.status.kind !== 'waiting_for_ci') throw new Error('not waiting');
    const { runKey } = waiting.status;
    const [real] = actions.runs();
    if (real === undefined) throw new Error('no run');
    const dispatchedHead = fake.state.requireRepo(OWNER, ref.repo).record.git.resolve(`refs/heads/${BRANCH}`);
    fake.pushCommit({
      owner: OWNER,
      repo: ref.repo,
      branch: 'elsewhere',
      message: 'another branch',
      files: { 'x.txt': 'x\n' },
    });
    const zip = await forgedResults(runKey);

    const forged = [
      { headBranch: 'elsewhere' },
      { headBranch: BRANCH, headSha: fake.commitsOn(OWNER, ref.repo, BRANCH)[1]?.sha },
      { headBranch: BRANCH, headSha: dispatchedHead, event: 'push' },
      { headBranch: BRANCH, headSha: dispatchedHead, event: 'pull_request' },
    ];
    for (const origin of forged) {
      const run = fake.addWorkflowRun({
        owner: OWNER,
        repo: ref.repo,
        workflow: 'lakeflow-connector-tests.yml',
        name: 'lakeflow-connector-tests',
        displayTitle: real.displayTitle,
        status: 'completed',
        conclusion: 'success',
        ...origin,
      });
      fake.addArtifact({ owner: OWNER, repo: ref.repo, runId: run.id, name: RESULTS_ARTIFACT_NAME, zip });
      await deliver(
        'workflow_run',
        fake.workflowRunCompletedPayload({ owner: OWNER, repo: ref.repo, runId: run.id }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const stillWaiting = await load(ref);
    expect(stillWaiting?.status).toMatchObject({ kind: 'waiting_for_ci', runKey, headSha: dispatchedHead });
    expect(stillWaiting?.ciRuns.find((record) => record.runKey === runKey)?.conclusion).toBe('pending');

    await deliver(
      'workflow_run',
      fake.workflowRunCompletedPayload({ owner: OWNER, repo: ref.repo, runId: real.runId }),
    );
    const atGate = await waitFor(
      async () => {
        const run = await load(ref);
        return run?.status.kind === 'awaiting_approval' ? run : null;
      },
      20_000,
      'the test gate',
    );

    expect(atGate.status).toMatchObject({ gate: { kind: 'stage', stage: 'test' } });
    const record = atGate.ciRuns.find((item) => item.runKey === runKey);
    expect(record).toMatchObject({
      conclusion: 'success',
      url: expect.stringContaining(`/actions/runs/${real.runId}`),
    });
    expect(JSON.stringify(atGate)).not.toContain('test_forged');
  }, 90_000);

  it.each([
    [
      'a credential in the merged file',
      async (dir: string) => {
        const file = join(dir, 'generated', PATHS.mergedSource);
        await writeFile(file, `${await readFile(file, 'utf8')}API_TOKEN = "${TOKEN}"\n`);
      },
      /was not committed: Refused to write \S+_generated_example_crm_python_source\.py: line \d+ holds what looks like a credential \(GitHub token\)/,
    ],
    [
      'a merged file of another connector',
      async (dir: string) => {
        const other = mergedSourcePath('other_crm');
        const file = join(dir, 'generated', PATHS.mergedSource);
        await mkdir(dirname(join(dir, 'generated', other)), { recursive: true });
        await writeFile(join(dir, 'generated', other), await readFile(file, 'utf8'));
        const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
        await writeFile(join(dir, 'summary.json'), JSON.stringify({ ...summary, source: 'other_crm' }));
      },
      /was not committed: `[^`]*other_crm\/_generated_other_crm_python_source\.py` may not be written: The package stage may only write/,
    ],
  ])(
    'fails the package stage with the reason and commits nothing when CI regenerates %s',
    async (_what, edit, reason) => {
      const ref = await seedRunAtGate(`trust-package-${repos.length}`, 'docs_spec');
      actions = attachFakeActions(fake, { owner: OWNER, repo: ref.repo, editResults: (dir) => edit(dir) });

      await approve(ref);
      const failed = await waitFor(
        async () => {
          const run = await load(ref);
          const moved = run?.status.kind === 'awaiting_approval' && run.status.gate.kind !== 'stage';
          return run?.status.kind === 'failed' || moved ? run : null;
        },
        60_000,
        'the package result',
      );
      await actions.idle();

      expect(actions.runs().map((run) => run.summary?.gates.merged_source)).toEqual(['failed']);
      expect(failed.status).toMatchObject({ kind: 'failed', stage: 'package' });
      expect(failed.status.kind === 'failed' ? failed.status.reason : '').toMatch(reason);
      expect(JSON.stringify(failed)).not.toContain(TOKEN);
      const trailers = fake.commitsOn(OWNER, ref.repo, BRANCH).map((commit) => commit.message);
      expect(trailers.filter((message) => message.includes('-merged-source'))).toEqual([]);
      expect(fake.filesAt(OWNER, ref.repo, BRANCH)[PATHS.mergedSource]).not.toContain(TOKEN);
    },
    90_000,
  );
});
