import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES, queueConnectionOptions } from '../../src/adapters/queue/queues.js';
import { type App, startApp } from '../../src/app.js';
import { CommittingStageRunner } from '../fakes/committing-stage-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { createTestRedis, deleteKeysByPrefix, redisUrl, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const REPO = 'prow-managed';
const BOT = 'lakeflow-bot[bot]';
const FORM =
  '### Source name\n\nacme_crm\n\n### API documentation links\n\nhttps://developers.acme.example/api\n\n### Tables of interest\n\ncontacts\n\n### Notes\n\n_No response_\n';

/**
 * A repository where Prow also answers `/approve` requires `/lakeflow`: through the real app, the
 * bot leaves bare commands to Prow without a word and runs `/lakeflow approve`, and everything it
 * writes names the commands in the prefixed form.
 */
describe('a repository that requires the /lakeflow prefix, end to end', () => {
  let fake: FakeGitHub;
  let app: App;
  let redis: Redis;
  let prefix: string;
  let events: Queue;

  beforeAll(async () => {
    fake = await startFakeGitHub({ webhookSecret: 'prefix-secret', botLogin: BOT });
    fake.addRepo({
      owner: OWNER,
      repo: REPO,
      files: { '.github/lakeflow-connector-bot.yml': 'commands:\n  requirePrefix: true\n' },
    });
    fake.setPermission(OWNER, REPO, 'maintainer', 'write');
    fake.addIssue({
      owner: OWNER,
      repo: REPO,
      number: 7,
      title: '[connector]: acme_crm',
      body: FORM,
      user: 'requester',
    });
    prefix = uniquePrefix();
    redis = createTestRedis();
    app = await startApp({
      env: appTestEnv({ github: fake, prefix, overrides: { ANTHROPIC_API_KEY: 'unused-in-this-test' } }),
      ports: { stages: (github) => new CommittingStageRunner(github) },
      Octokit: AppTestOctokit,
    });
    fake.webhookUrl = `http://127.0.0.1:${app.port}/api/github/webhooks`;
    events = new Queue(QUEUE_NAMES.events, { connection: queueConnectionOptions(redisUrl()), prefix });
  });

  afterAll(async () => {
    await events?.close();
    await app?.close();
    await fake?.close();
    if (redis) {
      await deleteKeysByPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  const botComments = () => fake.comments(OWNER, REPO, 7).filter((comment) => comment.user === BOT);
  const withMarker = (key: string) =>
    botComments().find((comment) => comment.body.startsWith(`<!-- lakeflow-connector-bot:${key} -->`));

  /** Posts `body` as the maintainer and waits until the events worker has finished with it; returns the comment id and the outcome. */
  async function comment(body: string, delivery: string): Promise<{ id: number; outcome: unknown }> {
    const payload = fake.issueCommentCreatedPayload({
      owner: OWNER,
      repo: REPO,
      issue: 7,
      body,
      user: 'maintainer',
    });
    expect(await fake.sendWebhook('issue_comment', payload, { id: delivery })).toBeLessThan(300);
    const job = await waitFor(
      async () => {
        const found = await events.getJob(`delivery-${delivery}`);
        // Read again once completed: the job fetched before holds no return value yet.
        return (await found?.isCompleted()) ? events.getJob(`delivery-${delivery}`) : null;
      },
      20_000,
      `the events job of ${body}`,
    );
    return { id: payload.comment.id, outcome: job?.returnvalue };
  }

  it('plans with the commands written /lakeflow …', async () => {
    expect(
      await fake.sendWebhook('issues', fake.issueOpenedPayload({ owner: OWNER, repo: REPO, number: 7 })),
    ).toBeLessThan(300);

    const status = await waitFor(async () => withMarker('status'), 20_000, 'the status comment');

    const plan = withMarker('plan')?.body ?? '';
    expect(plan).toContain('`/lakeflow approve`');
    expect(`${plan}\n${status.body}`).not.toMatch(/`\/(approve|revise|cancel|help)\b/);
    expect(status.body).toContain('waiting for `/lakeflow approve` of the plan');
  });

  it('leaves bare /approve and /help to the other bot: no reply, no 👀, the run stays at the plan', async () => {
    const before = botComments().map((c) => c.body);

    const approve = await comment('/approve', `bare-approve-${prefix}`);
    const help = await comment('/help', `bare-help-${prefix}`);
    const typo = await comment('/aprove', `bare-typo-${prefix}`);

    expect([approve.outcome, help.outcome, typo.outcome]).toEqual([
      'ignored_bare_command',
      'ignored_bare_command',
      'ignored_bare_command',
    ]);
    expect(botComments().map((c) => c.body)).toEqual(before);
    expect(fake.reactions(OWNER, REPO, approve.id)).toEqual([]);
    expect(fake.pulls(OWNER, REPO)).toEqual([]);
    fake.assertNoViolations();
  });

  it('approves the plan on /lakeflow approve and writes the next steps in the same form', async () => {
    const approval = await comment('/Lakeflow approve', `prefixed-approve-${prefix}`);

    expect(fake.reactions(OWNER, REPO, approval.id).map((reaction) => reaction.content)).toEqual(['eyes']);
    const status = await waitFor(
      async () => {
        const body = withMarker('status')?.body ?? '';
        return body.includes('after *research*') ? body : null;
      },
      20_000,
      'the research gate',
    );
    expect(status).toContain('waiting for `/lakeflow approve` after *research*');
    const pr = await waitFor(async () => fake.pulls(OWNER, REPO)[0], 10_000, 'the PR');
    expect(pr.body).toContain('`/lakeflow help` lists them');
    const summary = await waitFor(
      async () =>
        fake
          .comments(OWNER, REPO, pr.number)
          .find((c) => c.body.startsWith('<!-- lakeflow-connector-bot:summary-b1-research-a1 -->')),
      10_000,
      'the research summary',
    );
    expect(summary.body).toContain('Reply **`/lakeflow approve`**');
    for (const body of [status, pr.body ?? '', summary.body])
      expect(body).not.toMatch(/`\/(approve|revise|retry|restart|skip-auth|add-tables|cancel|status|help)\b/);
    fake.assertNoViolations();
  });

  it('answers /lakeflow aprove with a hint in the prefixed form', async () => {
    await comment('/lakeflow aprove', `prefixed-typo-${prefix}`);

    const reply = await waitFor(
      async () => botComments().find((c) => c.body.includes('is not a command')),
      20_000,
      'the hint',
    );
    expect(reply.body).toContain(
      '@maintainer `/lakeflow aprove` is not a command. Did you mean `/lakeflow approve`?',
    );
  });
});
