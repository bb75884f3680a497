import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../src/adapters/queue/queues.js';
import { type App, startApp } from '../../src/app.js';
import { CommittingStageRunner } from '../fakes/committing-stage-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { buildIssueLifecycle } from '../helpers/build-webhook.js';
import { createTestRedis, deleteKeysByPrefix, obliterateQueues, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const BOT = 'lakeflow-bot[bot]';
const MARKER = '<!-- lakeflow-connector-bot:dashboard -->';
const form = (source: string) =>
  `### Source name\n\n${source}\n\n### API documentation links\n\nhttps://developers.acme.example/api\n\n### Tables of interest\n\ncontacts, deals\n\n### Notes\n\n_No response_\n`;

/**
 * The dashboard issue through the real app (Probot, Octokit, BullMQ on Redis) against the fake
 * GitHub. Its refreshes wait an hour on the delayed queue; the test promotes each one when it wants
 * it, so what is coalesced is decided by the test, never by the machine's speed.
 */
describe('the dashboard issue, end to end', () => {
  let fake: FakeGitHub;
  let app: App;
  let redis: Redis;
  let events: Queue;
  let prefix: string;
  let deliveries = 0;

  beforeAll(async () => {
    fake = await startFakeGitHub({ webhookSecret: 'e2e-secret', botLogin: BOT });
    fake.addRepo({ owner: OWNER, repo: 'connectors', files: { 'README.md': '# connectors\n' } });
    fake.addRepo({
      owner: OWNER,
      repo: 'quiet',
      files: { 'README.md': '# quiet\n', '.github/lakeflow-connector-bot.yml': 'dashboard: false\n' },
    });
    for (const repo of ['connectors', 'quiet']) fake.setPermission(OWNER, repo, 'maintainer', 'write');
    prefix = uniquePrefix();
    redis = createTestRedis();
    events = new Queue(QUEUE_NAMES.events, { connection: redis, prefix });
    const env = appTestEnv({
      github: fake,
      prefix,
      overrides: { ANTHROPIC_API_KEY: 'unused-in-this-test', DASHBOARD_ISSUE_DELAY_SECONDS: '3600' },
    });
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
    await events?.close();
    await fake?.close();
    if (redis) {
      await obliterateQueues(redis, { prefix, names: Object.values(QUEUE_NAMES) });
      await deleteKeysByPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  async function deliver(name: string, payload: unknown): Promise<void> {
    deliveries += 1;
    expect(await fake.sendWebhook(name, payload, { id: `db-${deliveries}-${prefix}` })).toBeLessThan(300);
  }

  const statusOf = (repo: string, issue: number) =>
    fake
      .comments(OWNER, repo, issue)
      .find((c) => c.user === BOT && c.body.startsWith('<!-- lakeflow-connector-bot:status -->'))?.body ?? '';
  const dashboards = (repo: string) =>
    fake.issues(OWNER, repo).filter((issue) => issue.user === BOT && issue.body?.startsWith(MARKER));
  /** The bot's edits of issue `number`'s body since request `from` (the test's own edits set no body). */
  const writesTo = (repo: string, number: number, from: number) =>
    fake.received
      .slice(from)
      .filter(
        (r) =>
          r.method === 'PATCH' &&
          r.path === `/repos/${OWNER}/${repo}/issues/${number}` &&
          typeof (r.body as { body?: unknown }).body === 'string',
      );

  async function openRequest(repo: string, number: number, source: string): Promise<void> {
    fake.addIssue({
      owner: OWNER,
      repo,
      number,
      title: `[connector]: ${source}`,
      body: form(source),
      user: 'requester',
    });
    await deliver('issues', fake.issueOpenedPayload({ owner: OWNER, repo, number }));
    await waitFor(async () => statusOf(repo, number).includes('`/approve` of the plan'), 15_000, 'the plan');
  }

  async function comment(repo: string, issue: number, body: string): Promise<void> {
    await deliver(
      'issue_comment',
      fake.issueCommentCreatedPayload({ owner: OWNER, repo, issue, body, user: 'maintainer' }),
    );
  }

  /** The dashboard refreshes waiting on the delayed queue for `repo`. */
  async function pendingRefreshes(repo: string): Promise<Job[]> {
    const delayed: Job[] = await events.getDelayed();
    return delayed.filter((job) => job.data?.kind === 'dashboard' && job.data.repo.repo === repo);
  }

  /** Runs the one refresh waiting for `repo` now; resolves with its outcome. */
  async function runPendingRefresh(repo: string): Promise<string> {
    const pending = await waitFor(async () => (await pendingRefreshes(repo))[0], 10_000, 'a pending refresh');
    expect(await pendingRefreshes(repo)).toHaveLength(1);
    await pending.promote();
    return finished(pending.id ?? '');
  }

  async function finished(jobId: string): Promise<string> {
    return waitFor(
      async () =>
        (await events.getJobState(jobId)) === 'completed' ? (await events.getJob(jobId))?.returnvalue : null,
      15_000,
      `refresh ${jobId}`,
    );
  }

  /** An `issues.<action>` delivery for issue `number` as it is on the fake now, sent by the maintainer. */
  function lifecyclePayload(action: 'closed' | 'reopened', repo: string, number: number) {
    const { repository, installation, issue } = fake.issueOpenedPayload({ owner: OWNER, repo, number });
    return { ...buildIssueLifecycle({ action, number }), repository, installation, issue };
  }

  async function setIssueOnGitHub(
    repo: string,
    number: number,
    patch: Record<string, string>,
  ): Promise<void> {
    const response = await fetch(`${fake.url}/repos/${OWNER}/${repo}/issues/${number}`, {
      method: 'PATCH',
      headers: { authorization: 'token maintainer', 'content-type': 'application/json' },
      body: JSON.stringify(patch),
    });
    expect(response.status).toBe(200);
  }

  it('opens one issue for the first run and edits it in place, once for a burst of changes', async () => {
    await openRequest('connectors', 42, 'acme_crm');
    expect(dashboards('connectors')).toEqual([]);

    expect(await runPendingRefresh('connectors')).toBe('dashboard_created');
    const [dashboard] = dashboards('connectors');
    if (dashboard === undefined) throw new Error('no dashboard issue');
    expect(dashboard.title).toBe('Lakeflow connector runs');
    expect(dashboard.body).toContain('| [#42](');
    expect(dashboard.body).toContain('⏸ waiting for `/approve` of the plan | plan | $0.00 of $25.00 | — |');

    // A maintainer renames it; the bot finds it by its marker all the same.
    await setIssueOnGitHub('connectors', dashboard.number, { title: 'Connector runs (bot)' });
    const seen = fake.received.length;
    await comment('connectors', 42, '/approve');
    await waitFor(
      async () => statusOf('connectors', 42).includes('waiting for `/approve` after *research*'),
      20_000,
      'the research gate',
    );
    await waitFor(async () => statusOf('connectors', 42).includes('[PR #'), 10_000, 'the linked PR');
    // The status comment shows the PR as soon as it is opened; the run records its number through
    // an event queued before that edit, which the dashboard reads: wait until it is applied.
    await waitFor(
      async () => {
        const counts = await events.getJobCounts('waiting', 'active', 'prioritized');
        return (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) === 0;
      },
      10_000,
      'the queued events applied',
    );
    await openRequest('connectors', 60, 'other_crm');

    expect(await runPendingRefresh('connectors')).toBe('dashboard_edited');
    expect(writesTo('connectors', dashboard.number, seen)).toHaveLength(1);
    expect(dashboards('connectors').map((issue) => [issue.number, issue.title])).toEqual([
      [dashboard.number, 'Connector runs (bot)'],
    ]);
    const body = dashboards('connectors')[0]?.body ?? '';
    expect(body).toContain('⏸ waiting for `/approve` after *research* | research · batch 1');
    expect(body).toMatch(/\| \[#\d+\]\(http[^)]+\/pull\/\d+\) \|/);
    expect(body).toContain('| [#60](');
  });

  it('stays as it is while closed, and catches up at once when reopened', async () => {
    const [dashboard] = dashboards('connectors');
    if (dashboard === undefined) throw new Error('no dashboard issue');
    await setIssueOnGitHub('connectors', dashboard.number, { state: 'closed' });
    await deliver('issues', lifecyclePayload('closed', 'connectors', dashboard.number));
    const seen = fake.received.length;

    await comment('connectors', 60, '/cancel');
    await waitFor(
      async () => statusOf('connectors', 60).includes('cancelled by maintainer'),
      15_000,
      'the cancel',
    );
    expect(await runPendingRefresh('connectors')).toBe('dashboard_closed');
    expect(writesTo('connectors', dashboard.number, seen)).toEqual([]);

    await setIssueOnGitHub('connectors', dashboard.number, { state: 'open' });
    await deliver('issues', lifecyclePayload('reopened', 'connectors', dashboard.number));
    await waitFor(
      async () => writesTo('connectors', dashboard.number, seen).length === 1,
      15_000,
      'the catch-up',
    );

    const body = dashboards('connectors')[0]?.body ?? '';
    expect(body).toContain('### Recently finished');
    expect(body).toMatch(/\| \[#60\]\([^)]+\) \| `other_crm` \| ✗ cancelled by maintainer \|/);
  });

  it('opens none where the repository config turns it off', async () => {
    await openRequest('quiet', 5, 'acme_crm');

    expect(await runPendingRefresh('quiet')).toBe('dashboard_disabled');
    expect(dashboards('quiet')).toEqual([]);
  });
});
