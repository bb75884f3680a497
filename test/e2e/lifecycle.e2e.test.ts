import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.js';
import { CommittingStageRunner } from '../fakes/committing-stage-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { buildIssueLifecycle, buildPullRequestLifecycle, buildReview } from '../helpers/build-webhook.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const BOT = 'lakeflow-bot[bot]';
const FORM =
  '### Source name\n\nacme_crm\n\n### API documentation links\n\nhttps://developers.acme.example/api\n\n### Tables of interest\n\ncontacts, deals\n\n### Notes\n\n_No response_\n';

/** Closing the run's PR or issue through the real app: the run stops as on `/cancel`. */
describe('closing the run PR or issue, end to end', () => {
  let fake: FakeGitHub;
  let app: App;
  let redis: Redis;
  let prefix: string;
  let deliveries = 0;

  beforeAll(async () => {
    fake = await startFakeGitHub({ webhookSecret: 'e2e-secret', botLogin: BOT });
    for (const repo of ['connectors', 'second', 'third']) {
      fake.addRepo({ owner: OWNER, repo, files: { 'README.md': '# connectors\n' } });
      fake.setPermission(OWNER, repo, 'maintainer', 'write');
    }
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
    deliveries += 1;
    expect(await fake.sendWebhook(name, payload, { id: `lc-${deliveries}-${prefix}` })).toBeLessThan(300);
  }

  const marked = (repo: string, issue: number, key: string) =>
    fake
      .comments(OWNER, repo, issue)
      .filter((c) => c.user === BOT && c.body.startsWith(`<!-- lakeflow-connector-bot:${key} -->`));
  const statusOf = (repo: string, issue: number) => marked(repo, issue, 'status')[0]?.body ?? '';
  const botSays = (repo: string, issue: number, text: string) =>
    fake.comments(OWNER, repo, issue).some((c) => c.user === BOT && c.body.includes(text));

  /** The repository's payload parts as the fake sends them, for payloads the fake has no builder for. */
  function fromFake(repo: string, issue: number) {
    const { repository, installation } = fake.issueOpenedPayload({ owner: OWNER, repo, number: issue });
    return { repository, installation };
  }

  /** Closes PR `number` as a maintainer does on GitHub (the webhook is sent separately). */
  async function closeOnGitHub(repo: string, number: number): Promise<void> {
    const closed = await fetch(`${fake.url}/repos/${OWNER}/${repo}/pulls/${number}`, {
      method: 'PATCH',
      headers: { authorization: 'token maintainer', 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'closed' }),
    });
    expect(closed.status).toBe(200);
  }

  /** Opens issue `number` with the form and drives its run to the research gate. */
  async function runPastThePlan(repo: string, number: number): Promise<void> {
    fake.addIssue({
      owner: OWNER,
      repo,
      number,
      title: '[connector]: acme_crm',
      body: FORM,
      user: 'requester',
      labels: ['lakeflow-connector'],
    });
    await deliver('issues', fake.issueOpenedPayload({ owner: OWNER, repo, number }));
    await waitFor(async () => marked(repo, number, 'plan').length === 1, 15_000, 'the plan');
    await deliver(
      'issue_comment',
      fake.issueCommentCreatedPayload({
        owner: OWNER,
        repo,
        issue: number,
        body: '/approve',
        user: 'maintainer',
      }),
    );
    await waitFor(
      async () => statusOf(repo, number).includes('waiting for `/approve` after *research*'),
      20_000,
      'the research gate',
    );
    await waitFor(async () => fake.pulls(OWNER, repo).length === 1, 10_000, 'the draft PR');
    const pr = fake.pulls(OWNER, repo)[0]?.number;
    // The run has linked its PR (the status names it) and that status update's PR edit is done.
    await waitFor(async () => statusOf(repo, number).includes(`[PR #${pr}]`), 10_000, 'the linked PR');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }

  it('a PR closed without merging stops the run with a comment, and no replacement draft appears', async () => {
    await runPastThePlan('connectors', 42);
    const [pr] = fake.pulls(OWNER, 'connectors');
    if (pr === undefined) throw new Error('no PR');

    // The maintainer closes the PR on GitHub; GitHub sends pull_request.closed.
    await closeOnGitHub('connectors', pr.number);
    await deliver('pull_request', {
      ...buildPullRequestLifecycle({ action: 'closed', pullRequestBody: pr.body, number: pr.number }),
      ...fromFake('connectors', 42),
    });
    await waitFor(
      async () =>
        statusOf('connectors', 42).includes(`cancelled because PR #${pr.number} was closed without merging`),
      15_000,
      'the stopped status',
    );
    expect(
      botSays('connectors', 42, `PR #${pr.number} was closed without merging, so I cancelled this run`),
    ).toBe(true);

    // The next status update (an /approve, which on a live run would start the next stage) opens no PR.
    await deliver(
      'issue_comment',
      fake.issueCommentCreatedPayload({
        owner: OWNER,
        repo: 'connectors',
        issue: 42,
        body: '/approve',
        user: 'maintainer',
      }),
    );
    await waitFor(
      async () => botSays('connectors', 42, 'this run was cancelled; open a new issue'),
      15_000,
      'the reply to /approve',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(fake.pulls(OWNER, 'connectors').map((p) => ({ number: p.number, state: p.state }))).toEqual([
      { number: pr.number, state: 'closed' },
    ]);
  });

  it('a status update between the close and its webhook opens no replacement draft either', async () => {
    await runPastThePlan('third', 9);
    const [pr] = fake.pulls(OWNER, 'third');
    if (pr === undefined) throw new Error('no PR');
    await closeOnGitHub('third', pr.number);
    const seen = fake.received.length;

    // A maintainer's review lands before the close's webhook: the run keeps it and updates its status.
    const review = buildReview({
      body: 'Use the v2 endpoints.',
      pullRequestBody: pr.body ?? '',
      login: 'maintainer',
    });
    await deliver('pull_request_review', {
      ...review,
      pull_request: { ...review.pull_request, number: pr.number },
      ...fromFake('third', 9),
    });
    await waitFor(
      async () =>
        fake.received
          .slice(seen)
          .some((r) => r.method === 'PATCH' && r.path.startsWith(`/repos/${OWNER}/third/issues/comments/`)),
      15_000,
      'the status update after the review',
    );
    await deliver('pull_request', {
      ...buildPullRequestLifecycle({ action: 'closed', pullRequestBody: pr.body, number: pr.number }),
      ...fromFake('third', 9),
    });
    await waitFor(
      async () =>
        statusOf('third', 9).includes(`cancelled because PR #${pr.number} was closed without merging`),
      15_000,
      'the stopped status',
    );

    expect(fake.pulls(OWNER, 'third').map((p) => ({ number: p.number, state: p.state }))).toEqual([
      { number: pr.number, state: 'closed' },
    ]);
  });

  it('a closed issue cancels the run and frees its source for a new issue', async () => {
    await runPastThePlan('second', 7);

    await deliver('issues', {
      ...buildIssueLifecycle({ action: 'closed', number: 7 }),
      ...fromFake('second', 7),
    });
    await waitFor(
      async () => statusOf('second', 7).includes('cancelled because the issue was closed'),
      15_000,
      'the cancelled status',
    );
    expect(botSays('second', 7, 'cancelled this run because the issue was closed')).toBe(true);

    fake.addIssue({
      owner: OWNER,
      repo: 'second',
      number: 8,
      title: '[connector]: acme_crm again',
      body: FORM,
      user: 'requester',
      labels: ['lakeflow-connector'],
    });
    await deliver('issues', fake.issueOpenedPayload({ owner: OWNER, repo: 'second', number: 8 }));
    await waitFor(
      async () => statusOf('second', 8).includes('waiting for `/approve` of the plan'),
      15_000,
      'the plan of the new issue',
    );
    expect(marked('second', 8, 'plan')).toHaveLength(1);
  });
});
