import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRunStore } from '../../src/adapters/redis/redis-run-store.js';
import { type App, startApp } from '../../src/app.js';
import type { Run, RunRef } from '../../src/domain/pipeline/run.js';
import { connectorPaths } from '../../src/domain/target-repo/connector-paths.js';
import type { RunStore } from '../../src/ports/run-store.js';
import { attachFakeActions, type FakeActions } from '../fakes/fake-actions/index.js';
import {
  type FakeAnthropic,
  type FakeAnthropicRequest,
  type FakeError,
  type FakeReply,
  startFakeAnthropic,
} from '../fakes/fake-anthropic-server.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import {
  BATCH_1_TABLES,
  BATCH_2_TABLES,
  brightdeskModel,
  docsRevision,
  fixedBatch1Connector,
  isSelfReview,
  mergedSourceOf,
  type ScriptedModel,
  SOURCE,
  selfReviewReply,
  specRevision,
} from '../fixtures/transcripts/brightdesk/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { fixtureFiles } from '../helpers/fixture-files.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const REPO = 'connectors';
const ISSUE = 42;
const BRANCH = `lakeflow-connector/${SOURCE}`;
const BOT = 'lakeflow-bot[bot]';
const FORM = `### Source name\n\n${SOURCE}\n\n### API documentation links\n\nhttps://developer.brightdesk.example/api\n\n### Tables of interest\n\n_No response_\n\n### Notes\n\n_No response_\n`;
const FEEDBACK = 'Say in the README that Brightdesk allows 700 requests per minute.';
const WORKFLOW = '.github/workflows/lakeflow-connector-tests.yml';
const PYTHON = process.env.PYTHON ?? 'python3';

/** What the fixture's merge script writes for the connector in `files` (a branch's tree). */
async function mergeScriptOutput(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'full-run-merge-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const out = join(dir, 'merged.py');
    execFileSync(PYTHON, ['tools/scripts/merge_python_source.py', SOURCE, '-o', out], { cwd: dir });
    return await readFile(out, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A repository holding the fixture target repository, the bot's workflow and `extra` files, with a maintainer. */
async function seedTargetRepo(
  github: FakeGitHub,
  repo: string,
  extra: Record<string, string> = {},
): Promise<void> {
  github.addRepo({
    owner: OWNER,
    repo,
    files: { ...(await fixtureFiles()), [WORKFLOW]: await readFile(WORKFLOW, 'utf8'), ...extra },
  });
  github.setPermission(OWNER, repo, 'maintainer', 'write');
}

/** Opens the Brightdesk request as issue `on.issue` of `on.repo` and delivers `issues.opened`. */
async function openRequest(github: FakeGitHub, on: RunRef): Promise<void> {
  github.addIssue({
    owner: OWNER,
    repo: on.repo,
    number: on.issue,
    title: `[connector]: ${SOURCE}`,
    body: FORM,
    user: 'requester',
    labels: ['lakeflow-connector'],
  });
  await github.sendWebhook(
    'issues',
    github.issueOpenedPayload({ owner: OWNER, repo: on.repo, number: on.issue }),
  );
}

describe('a two-batch run of the Brightdesk connector through the real app, the fake GitHub, the fake Messages API and real pytest in the fake Actions', () => {
  let github: FakeGitHub;
  let anthropic: FakeAnthropic;
  let actions: FakeActions;
  let model: ScriptedModel;
  let app: App;
  let redis: Redis;
  let store: RunStore;
  let prefix: string;
  let deliveries = 0;
  const ref: RunRef = { installationId: 1, owner: OWNER, repo: REPO, issue: ISSUE };

  beforeAll(async () => {
    github = await startFakeGitHub({ webhookSecret: 'full-run-secret', botLogin: BOT });
    await seedTargetRepo(github, REPO);
    ref.installationId = github.installationId;
    actions = attachFakeActions(github, { owner: OWNER, repo: REPO });
    model = brightdeskModel([docsRevision(FEEDBACK), specRevision(FEEDBACK)]);
    anthropic = await startFakeAnthropic();
    const answer = model.turn as (request: FakeAnthropicRequest) => FakeReply | FakeError;
    anthropic.script(
      ...Array.from(
        { length: 400 },
        () => (request: FakeAnthropicRequest) =>
          isSelfReview(request) ? selfReviewReply(request) : answer(request),
      ),
    );
    prefix = uniquePrefix();
    redis = createTestRedis();
    store = createRedisRunStore(redis, { prefix: `${prefix}:` });
    const env = appTestEnv({ github, prefix, overrides: { ANTHROPIC_BASE_URL: anthropic.url } });
    app = await startApp({ env, Octokit: AppTestOctokit });
    github.webhookUrl = `http://127.0.0.1:${app.port}/api/github/webhooks`;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await actions?.close();
    await anthropic?.close();
    await github?.close();
    if (redis) {
      await deleteKeysByPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  async function say(body: string, on: RunRef = ref): Promise<void> {
    deliveries += 1;
    const payload = github.issueCommentCreatedPayload({
      owner: on.owner,
      repo: on.repo,
      issue: on.issue,
      body,
      user: 'maintainer',
    });
    expect(
      await github.sendWebhook('issue_comment', payload, { id: `full-run-${deliveries}-${prefix}` }),
    ).toBeLessThan(300);
  }

  /** Waits until the run stands at `kind` (and, for a stage gate, after `stage` of `batch`). */
  async function reach(
    kind: Run['status']['kind'],
    what: { stage?: string; batch?: number; batchGate?: true } = {},
    on: RunRef = ref,
  ): Promise<Run> {
    return waitFor(
      async () => {
        if (model.problems.length > 0)
          throw new Error(`The scripted model saw:\n${model.problems.join('\n')}`);
        const current = await store.load(on);
        if (current === null) return null;
        const { status, batch } = current.run;
        if (status.kind === 'failed') throw new Error(`The run failed: ${status.reason}`);
        if (status.kind !== kind) return null;
        if (what.batch !== undefined && batch.number !== what.batch) return null;
        if (what.batchGate && !(status.kind === 'awaiting_approval' && status.gate.kind === 'next_batch'))
          return null;
        if (
          what.stage !== undefined &&
          !(
            status.kind === 'awaiting_approval' &&
            status.gate.kind === 'stage' &&
            status.gate.stage === what.stage
          )
        )
          return null;
        return current.run;
      },
      90_000,
      `${kind} ${JSON.stringify(what)}`,
    );
  }

  const botComments = () => github.comments(OWNER, REPO, ISSUE).filter((comment) => comment.user === BOT);
  const prComments = () => {
    const pr = github.pulls(OWNER, REPO)[0];
    return pr === undefined
      ? []
      : github.comments(OWNER, REPO, pr.number).filter((comment) => comment.user === BOT);
  };
  const trailers = () =>
    github
      .commitsOn(OWNER, REPO, BRANCH)
      .map((commit) => /Lakeflow-Job: (\S+)/.exec(commit.message)?.[1])
      .filter((id): id is string => id !== undefined)
      .reverse();

  it('plans, researches and stops at the credentials gate, where /skip-auth goes on in simulate mode', async () => {
    await openRequest(github, ref);
    await reach('awaiting_plan_approval');
    await say('/approve');
    const researched = await reach('awaiting_approval', { stage: 'research' });

    expect(researched.batch.tables).toEqual(BATCH_1_TABLES);
    expect(researched.deferredTables).toEqual(BATCH_2_TABLES);

    await say('/approve');
    await reach('awaiting_credentials');
    await say('/skip-auth');
    await reach('awaiting_approval', { stage: 'implement' });

    expect(github.pulls(OWNER, REPO)[0]?.labels).toContain('needs-live-testing');
  });

  it('tests in Actions: the first real pytest run is red, the tester fixes it, the second is green and the gate shows the real table', async () => {
    await say('/approve');
    const green = await reach('awaiting_approval', { stage: 'test' });

    const runs = actions.runs().filter((item) => item.dispatch.inputs.mode === 'simulate');
    expect(runs.map((item) => item.conclusion)).toEqual(['failure', 'success']);
    expect(
      green.ciRuns.filter((record) => record.stage === 'test').map((record) => record.conclusion),
    ).toEqual(['failure', 'success']);
    const summary = await waitFor(
      async () => prComments().find((comment) => comment.body.includes('all tests pass')),
      10_000,
      'the test summary',
    );
    expect(summary.body).toMatch(/test_read_terminates.*✅/);
  });

  it('runs docs ∥ spec as one flow with one commit, and a /revise re-run hands the feedback to both agents', async () => {
    await say('/approve');
    await reach('awaiting_approval', { stage: 'docs_spec' });
    const docsCommits = () => trailers().filter((id) => id.includes('-docs_spec-'));

    expect(docsCommits()).toEqual([`${OWNER}-${REPO}-${ISSUE}-b1-docs_spec-a1`]);

    await say(`/revise ${FEEDBACK}`);
    await waitFor(async () => docsCommits().length === 2, 60_000, 'the revised docs ∥ spec commit');
    await reach('awaiting_approval', { stage: 'docs_spec' });

    const revisedRequests = anthropic.requests.filter((request) =>
      JSON.stringify(request.body.messages).includes('(batch 1, attempt 2)'),
    );
    const agentsGivenFeedback = revisedRequests.filter((request) =>
      JSON.stringify(request.body.messages).includes(FEEDBACK),
    );
    expect(agentsGivenFeedback.length).toBeGreaterThanOrEqual(2);
    expect(github.filesAt(OWNER, REPO, BRANCH)[connectorPaths(SOURCE).readme]).toContain(
      '700 requests per minute',
    );
  });

  it('packages batch 1 in Actions, self-reviews it, and waits at the batch gate with the deferred tables', async () => {
    await say('/approve');
    const atBatchGate = await reach('awaiting_approval', { batchGate: true });

    expect(atBatchGate.status).toMatchObject({ gate: { kind: 'next_batch' } });
    // The package transcript's hand-made merged file is not what the fixture's script writes: the
    // Actions run fails only that check, and the bot commits the file CI regenerated.
    const packageRuns = actions.runs().filter((item) => item.dispatch.inputs.mode === 'package');
    expect(packageRuns.map((item) => [item.conclusion, item.summary?.gates])).toEqual([
      ['failure', { pytest: 'passed', merged_source: 'failed', pylint: 'skipped', wheel: 'skipped' }],
    ]);
    const regenerated = github.commitsOn(OWNER, REPO, BRANCH)[0];
    expect(trailers().filter((id) => id.endsWith('-merged-source'))).toEqual([
      `${OWNER}-${REPO}-${ISSUE}-b1-package-a1-package-merged-source`,
    ]);
    expect(regenerated?.message).toMatch(/^package: regenerate the merged source of brightdesk\n/);
    expect(atBatchGate.batch.stages.package).toMatchObject({
      commitSha: regenerated?.sha,
      note: 'merged source file regenerated by CI and committed',
    });
    expect(atBatchGate.status).toMatchObject({ headSha: regenerated?.sha });
    expect(atBatchGate.ciRuns.at(-1)).toMatchObject({
      stage: 'package',
      conclusion: 'success',
      gates: { merged_source: 'passed' },
    });
    const branchFiles = github.filesAt(OWNER, REPO, BRANCH);
    const merged = branchFiles[connectorPaths(SOURCE).mergedSource];
    expect(merged).toBe(await mergeScriptOutput(branchFiles));
    expect(merged).not.toBe(mergedSourceOf(fixedBatch1Connector()));
    const review = await waitFor(
      async () =>
        prComments().find((comment) =>
          comment.body.startsWith('<!-- lakeflow-connector-bot:self-review -->'),
        ),
      30_000,
      'the self-review comment',
    );
    expect(review.body).toMatch(/: READY \((9\d)\/100\)/);
    const batchDone = prComments().find((comment) => comment.body.includes('is built and packaged'));
    expect(batchDone?.body).toMatch(
      /- Package build: pytest ✅ · merged source file ✅ · .* · \[results artifact\]\(http[^)]+\/artifacts\/\d+\)/,
    );
    await waitFor(
      async () => github.pulls(OWNER, REPO)[0]?.labels.includes('connector-self-reviewed') ?? false,
      20_000,
      'the self-reviewed label',
    );
  });

  it('builds batch 2 (append research, extend implement, no auth), ends with a ready PR holding every deliverable', async () => {
    await say('/approve');
    await reach('awaiting_approval', { stage: 'research', batch: 2 });
    // The run is saved before its effects run: the label goes right after the gate is reached.
    await waitFor(
      async () => github.pulls(OWNER, REPO)[0]?.labels.includes('connector-self-reviewed') === false,
      10_000,
      'the self-reviewed label removed by the new commit',
    );
    for (const stage of ['implement', 'test', 'docs_spec']) {
      await say('/approve');
      await reach('awaiting_approval', { stage, batch: 2 });
    }
    await say('/approve');
    const done = await reach('done');

    expect(done.completedTables.sort()).toEqual([...BATCH_1_TABLES, ...BATCH_2_TABLES].sort());
    const pr = await waitFor(
      async () => {
        const current = github.pulls(OWNER, REPO)[0];
        return current?.draft === false ? current : null;
      },
      20_000,
      'the ready PR',
    );
    expect(pr.body).toContain(`Closes #${ISSUE}.`);
    const files = github.filesAt(OWNER, REPO, BRANCH);
    const paths = connectorPaths(SOURCE);
    for (const path of [
      paths.apiDoc,
      paths.implementation,
      paths.init,
      paths.spec,
      paths.readme,
      paths.pyproject,
      paths.testFile,
      paths.authTest,
      paths.simulatorEndpoints,
    ]) {
      expect(files, path).toHaveProperty(path);
    }
    expect(trailers().filter((id) => id.endsWith('-merged-source'))).toEqual([
      `${OWNER}-${REPO}-${ISSUE}-b1-package-a1-package-merged-source`,
      `${OWNER}-${REPO}-${ISSUE}-b2-package-a1-package-merged-source`,
    ]);
    expect(files[paths.mergedSource]).toBe(await mergeScriptOutput(files));
    expect(done.batch.stages.package.commitSha).toBe(github.commitsOn(OWNER, REPO, BRANCH)[0]?.sha);
    expect(trailers().filter((id) => id.includes('-b1-auth-'))).toHaveLength(1);
    expect(trailers().filter((id) => id.includes('-b2-auth-'))).toHaveLength(0);
    const final = await waitFor(
      async () => prComments().find((comment) => comment.body.includes('connector complete')),
      10_000,
      'the final summary',
    );
    expect(final?.body).toContain(`pytest tests/unit/sources/${SOURCE}/`);
    for (const table of [...BATCH_1_TABLES, ...BATCH_2_TABLES]) expect(final?.body).toContain(table);
    expect(
      botComments().filter((comment) => comment.body.startsWith('<!-- lakeflow-connector-bot:status -->')),
    ).toHaveLength(1);
    github.assertNoViolations();
    anthropic.assertNoViolations();
  });

  it('fails the test stage with the last real test table when tests stay red past maxTestIterations', async () => {
    const capped: RunRef = { ...ref, repo: 'capped', issue: 7 };
    await seedTargetRepo(github, capped.repo, {
      '.github/lakeflow-connector-bot.yml': 'maxTestIterations: 1\n',
    });
    const cappedActions = attachFakeActions(github, { owner: OWNER, repo: capped.repo });
    try {
      await openRequest(github, capped);
      await reach('awaiting_plan_approval', {}, capped);
      await say('/approve', capped);
      await reach('awaiting_approval', { stage: 'research' }, capped);
      await say('/approve', capped);
      await reach('awaiting_credentials', {}, capped);
      await say('/skip-auth', capped);
      await reach('awaiting_approval', { stage: 'implement' }, capped);
      await say('/approve', capped);
      const failed = await waitFor(
        async () => {
          const current = (await store.load(capped))?.run;
          return current?.status.kind === 'failed' ? current : null;
        },
        60_000,
        'the capped run to fail',
      );

      expect(failed.status).toMatchObject({ kind: 'failed', stage: 'test' });
      expect(failed.status.kind === 'failed' && failed.status.reason).toContain(
        'the limit set by `maxTestIterations`',
      );
      expect(cappedActions.runs().map((item) => item.conclusion)).toEqual(['failure']);
      // The failure summary is an effect of the saved failure: it is posted right after.
      const failure = await waitFor(
        async () => {
          const pr = github.pulls(OWNER, capped.repo)[0];
          return github
            .comments(OWNER, capped.repo, pr?.number ?? capped.issue)
            .find((comment) => comment.user === BOT && comment.body.includes('test_read_terminates'));
        },
        10_000,
        'the failure summary',
      );
      expect(failure.body).toMatch(/test_read_terminates.*❌/);
      expect(failure.body).toContain('/retry');
    } finally {
      await cappedActions.close();
    }
  });

  it('made each commit in one createCommitOnBranch request: no git data API write, no head or parent read for it', () => {
    const commits = github.received.filter((request) => request.graphql === 'createCommitOnBranch');
    const gitData = github.received.filter((request) =>
      [
        'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
        'POST /repos/{owner}/{repo}/git/trees',
        'POST /repos/{owner}/{repo}/git/commits',
        'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
      ].includes(request.operation ?? ''),
    );

    expect(commits.length).toBeGreaterThan(10);
    expect(commits.map((request) => request.status)).toEqual(commits.map(() => 200));
    expect(gitData.map((request) => request.operation)).toEqual([]);
  });

  it('read each commit the phases looked at once and whole: one tarball per sha, no file or tree read at a sha', () => {
    const tarballs = github.received
      .filter((request) => request.operation === 'GET /repos/{owner}/{repo}/tarball/{ref}')
      .map((request) => request.path);
    const readsAtSha = github.received.filter(
      (request) =>
        (request.operation === 'GET /repos/{owner}/{repo}/contents/{path}' &&
          request.query.ref !== undefined) ||
        request.operation === 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
    );

    expect(tarballs.length).toBeGreaterThan(0);
    expect(new Set(tarballs).size).toBe(tarballs.length);
    expect(readsAtSha.map((request) => request.path)).toEqual([]);
  });
});
