import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.js';
import { CommittingStageRunner } from '../fakes/committing-stage-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const REPO = 'connectors';
const BOT = 'lakeflow-bot[bot]';
const FORM =
  '### Source name\n\nacme_crm\n\n### API documentation links\n\nhttps://developers.acme.example/api\n\n### Tables of interest\n\ncontacts\n\n### Notes\n\n_No response_\n';

/**
 * A webhook GitHub sent while the bot was down is not lost: at boot the app reads its delivery log,
 * finds the event no attempt acknowledged, and asks GitHub to deliver it again.
 */
describe('webhooks missed while the bot was down, end to end', () => {
  let fake: FakeGitHub;
  let app: App | undefined;
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    fake = await startFakeGitHub({ webhookSecret: 'redelivery-secret', botLogin: BOT });
    fake.addRepo({ owner: OWNER, repo: REPO, files: { 'README.md': '# connectors\n' } });
    fake.addIssue({
      owner: OWNER,
      repo: REPO,
      number: 3,
      title: '[connector]: acme_crm',
      body: FORM,
      user: 'someone',
    });
    prefix = uniquePrefix();
    redis = createTestRedis();
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
    if (redis) {
      await deleteKeysByPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  /** Starts the app; `port` keeps the webhook URL of an earlier start, as a restarted deployment does. */
  async function start(port?: number): Promise<App> {
    const env = appTestEnv({
      github: fake,
      prefix,
      overrides: {
        ANTHROPIC_API_KEY: 'unused-in-this-test',
        ...(port === undefined ? {} : { PORT: String(port) }),
      },
    });
    const started = await startApp({
      env,
      ports: { stages: (github) => new CommittingStageRunner(github) },
      Octokit: AppTestOctokit,
    });
    fake.webhookUrl = `http://127.0.0.1:${started.port}/api/github/webhooks`;
    return started;
  }

  it('redelivers at boot the request sent while it was down, and the plan appears once', async () => {
    const down = await start();
    await down.close();
    await expect(
      fake.sendWebhook('issues', fake.issueOpenedPayload({ owner: OWNER, repo: REPO, number: 3 }), {
        id: `missed-${prefix}`,
      }),
    ).rejects.toThrow();
    expect(fake.state.deliveries.map((delivery) => delivery.statusCode)).toEqual([0]);

    app = await start(down.port ?? undefined);
    await waitFor(
      async () =>
        fake
          .comments(OWNER, REPO, 3)
          .some((comment) => comment.body.startsWith('<!-- lakeflow-connector-bot:plan -->')),
      20_000,
      'the plan',
    );

    const attempts = fake.state.deliveries.filter((delivery) => delivery.guid === `missed-${prefix}`);
    expect(attempts.map((delivery) => [delivery.redelivery, delivery.statusCode])).toEqual([
      [false, 0],
      [true, 200],
    ]);
    const plans = fake
      .comments(OWNER, REPO, 3)
      .filter((comment) => comment.body.includes('lakeflow-connector-bot:plan'));
    expect(plans).toHaveLength(1);
    fake.assertNoViolations();
  }, 60_000);
});
