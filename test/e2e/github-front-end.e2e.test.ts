import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.js';
import { CommittingStageRunner } from '../fakes/committing-stage-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const REPO = 'connectors';
const BRANCH = 'lakeflow-connector/acme_crm';
const FORM =
  '### Source name\n\nacme_crm\n\n### API documentation links\n\nhttps://developers.acme.example/api\n\n### Tables of interest\n\ncontacts, deals\n\n### Notes\n\n_No response_\n';

describe('the GitHub front end, end to end', () => {
  let fake: FakeGitHub;
  let app: App;
  let redis: Redis;
  let prefix: string;
  const deliveries: Array<{ name: string; payload: unknown; id: string }> = [];

  beforeAll(async () => {
    fake = await startFakeGitHub({ webhookSecret: 'e2e-secret', botLogin: 'lakeflow-bot[bot]' });
    fake.addRepo({ owner: OWNER, repo: REPO, files: { 'README.md': '# connectors\n' } });
    fake.setPermission(OWNER, REPO, 'maintainer', 'write');
    fake.setPermission(OWNER, REPO, 'reader', 'read');
    prefix = uniquePrefix();
    redis = createTestRedis();
    const env = appTestEnv({ github: fake, prefix, overrides: { ANTHROPIC_API_KEY: 'unused-in-this-test' } });
    app = await startApp({
      env,
      ports: { stages: (github) => new CommittingStageRunner(github) },
      Octokit: AppTestOctokit,
    });
    fake.webhookUrl = `http://127.0.0.1:${app.port}/api/github/webhooks`;
  });

  afterEach(() => {
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
    const id = `e2e-${deliveries.length + 1}-${prefix}`;
    deliveries.push({ name, payload, id });
    expect(await fake.sendWebhook(name, payload, { id })).toBeLessThan(300);
  }

  const botComments = (issue: number) =>
    fake.comments(OWNER, REPO, issue).filter((c) => c.user === 'lakeflow-bot[bot]');
  const withMarker = (issue: number, key: string) =>
    botComments(issue).filter((c) => c.body.startsWith(`<!-- lakeflow-connector-bot:${key} -->`));
  const comment = (body: string, user: string) =>
    fake.issueCommentCreatedPayload({ owner: OWNER, repo: REPO, issue: 42, body, user });

  it('answers a connector issue with the plan and the status comment', async () => {
    fake.addIssue({
      owner: OWNER,
      repo: REPO,
      number: 42,
      title: '[connector]: acme_crm',
      body: FORM,
      user: 'requester',
      labels: ['lakeflow-connector'],
    });

    await deliver('issues', fake.issueOpenedPayload({ owner: OWNER, repo: REPO, number: 42 }));
    await waitFor(async () => withMarker(42, 'status').length === 1, 15_000, 'the status comment');

    expect(withMarker(42, 'plan')[0]?.body).toContain('**Lakeflow connector plan: `acme_crm`**');
    expect(withMarker(42, 'status')[0]?.body).toContain('waiting for `/approve` of the plan');
  });

  it('refuses /approve from a read-only user and changes nothing', async () => {
    const statusBefore = withMarker(42, 'status')[0]?.body;

    await deliver('issue_comment', comment('/approve', 'reader'));
    await waitFor(
      async () => botComments(42).some((c) => c.body.includes('@reader only people with write access')),
      15_000,
      'the refusal',
    );

    expect(withMarker(42, 'status')[0]?.body).toBe(statusBefore);
    expect(fake.commitsOn(OWNER, REPO, 'main')).toHaveLength(1);
    expect(fake.pulls(OWNER, REPO)).toEqual([]);
  });

  it('runs research on /approve from a maintainer: 👀, branch, commit, draft PR, check run, status edited in place', async () => {
    const approval = comment('/approve', 'maintainer');
    await deliver('issue_comment', approval);
    await waitFor(
      async () =>
        withMarker(42, 'status')[0]?.body.includes('waiting for `/approve` after *research*') ?? false,
      20_000,
      'the research gate',
    );
    await waitFor(
      async () => fake.pulls(OWNER, REPO)[0]?.body?.includes('Closes #42.') ?? false,
      10_000,
      'the PR body',
    );

    const commits = fake.commitsOn(OWNER, REPO, BRANCH);
    expect(commits[0]?.message).toContain('Lakeflow-Job: acme-connectors-42-b1-research-a1');
    expect(fake.filesAt(OWNER, REPO, BRANCH)).toHaveProperty(
      'src/databricks/labs/community_connector/sources/acme_crm/acme_crm_api_doc.md',
    );
    expect(fake.pulls(OWNER, REPO)).toMatchObject([{ draft: true, head: BRANCH }]);
    expect(fake.checkRuns(OWNER, REPO).map((run) => run.name)).toContain('lakeflow-connector-bot / research');
    expect(withMarker(42, 'status')).toHaveLength(1);
    expect(fake.reactions(OWNER, REPO, approval.comment.id).map((reaction) => reaction.content)).toEqual([
      'eyes',
    ]);
    const pr = fake.pulls(OWNER, REPO)[0]?.number ?? 0;
    expect(withMarker(pr, 'summary-b1-research-a1')).toHaveLength(1);
    expect(withMarker(pr, 'summary-b1-research-a1')[0]?.body).toContain('Reply **`/approve`**');
  });

  it('does nothing twice when every webhook is delivered again', async () => {
    const before = {
      comments: fake.comments(OWNER, REPO, 42).length,
      commits: fake.commitsOn(OWNER, REPO, BRANCH).length,
      pulls: fake.pulls(OWNER, REPO).length,
    };

    for (const delivery of [...deliveries]) {
      expect(await fake.sendWebhook(delivery.name, delivery.payload, { id: delivery.id })).toBeLessThan(300);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect({
      comments: fake.comments(OWNER, REPO, 42).length,
      commits: fake.commitsOn(OWNER, REPO, BRANCH).length,
      pulls: fake.pulls(OWNER, REPO).length,
    }).toEqual(before);
  });

  it('rebuilds the run from the status comment after Redis lost it, on /status', async () => {
    const keys = await redis.keys(`${prefix}:run:*`);
    expect(keys).toHaveLength(1);
    await redis.del(...keys);

    await deliver('issue_comment', comment('/status', 'reader'));
    await waitFor(
      async () =>
        botComments(42).some((c) => c.body.includes('@reader') && c.body.includes('`acme_crm` run is')),
      15_000,
      'the status reply',
    );

    expect(await redis.keys(`${prefix}:run:*`)).toHaveLength(1);
  });

  it("plans a run on the layout of the repository config's paths.*", async () => {
    fake.addRepo({
      owner: OWNER,
      repo: 'forked',
      files: {
        'README.md': '# a fork with another layout\n',
        '.github/lakeflow-connector-bot.yml':
          'paths:\n  sources: connectors/sources\n  tests: connectors/tests\n',
      },
    });
    fake.addIssue({
      owner: OWNER,
      repo: 'forked',
      number: 5,
      title: '[connector]: acme_crm',
      body: FORM,
      user: 'requester',
      labels: ['lakeflow-connector'],
    });

    await deliver('issues', fake.issueOpenedPayload({ owner: OWNER, repo: 'forked', number: 5 }));
    const plan = await waitFor(
      async () =>
        fake
          .comments(OWNER, 'forked', 5)
          .find(
            (c) =>
              c.user === 'lakeflow-bot[bot]' && c.body.startsWith('<!-- lakeflow-connector-bot:plan -->'),
          ),
      15_000,
      'the plan comment',
    );

    expect(plan.body).toContain('| 1 research | `connectors/sources/acme_crm/acme_crm_api_doc.md` |');
    expect(plan.body).toContain('`connectors/tests/acme_crm/auth_test.py`');
    expect(plan.body).toContain('simulator `source_simulator/specs/acme_crm/endpoints.yaml`');
    expect(plan.body).not.toContain('tests/unit/sources');
  });
});
