import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.js';
import { ConfigError } from '../../src/errors.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { signWebhook } from '../fakes/fake-github/webhooks.js';
import { type FakeSmee, startFakeSmee } from '../fakes/fake-smee.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { freePort } from '../helpers/free-port.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';
import { issueFormBody, waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const REPO = 'laptop';

/**
 * An App made on a laptop gets its webhooks through a smee channel (`WEBHOOK_PROXY_URL`): the app
 * connects to it at boot and each forwarded delivery is verified and handled like a direct one.
 */
describe('webhooks through WEBHOOK_PROXY_URL, with the real app and smee-client', () => {
  let github: FakeGitHub;
  let smee: FakeSmee;
  let app: App | undefined;
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    github = await startFakeGitHub({ webhookSecret: 'proxy-secret' });
    github.addRepo({ owner: OWNER, repo: REPO, files: { 'README.md': '# laptop\n' } });
    smee = await startFakeSmee();
    redis = createTestRedis();
    prefix = uniquePrefix();
  });

  afterAll(async () => {
    await app?.close();
    await smee?.close();
    await github?.close();
    await deleteKeysByPrefix(redis, prefix);
    redis.disconnect();
  });

  it('plans a request whose issues.opened came through the channel, signature checked', async () => {
    app = await startApp({
      env: appTestEnv({
        github,
        prefix,
        overrides: { ANTHROPIC_API_KEY: 'unused', WEBHOOK_PROXY_URL: smee.url },
      }),
      Octokit: AppTestOctokit,
    });
    expect(smee.listeners()).toBe(1);
    github.addIssue({
      owner: OWNER,
      repo: REPO,
      number: 3,
      title: '[connector]: acme_crm',
      body: issueFormBody('acme_crm'),
      user: 'someone',
    });
    const payload = github.issueOpenedPayload({ owner: OWNER, repo: REPO, number: 3 });
    const forged = { ...payload, issue: { ...payload.issue, number: 4 } };

    // A delivery signed with another secret is refused; the genuine one is handled.
    smee.push(
      {
        'x-github-event': 'issues',
        'x-github-delivery': 'proxy-forged',
        'x-hub-signature-256': signWebhook('not-the-secret', JSON.stringify(forged)),
      },
      forged,
    );
    smee.push(
      {
        'x-github-event': 'issues',
        'x-github-delivery': 'proxy-1',
        'x-hub-signature-256': signWebhook(github.webhookSecret, JSON.stringify(payload)),
      },
      payload,
    );

    const plan = await waitFor(
      async () =>
        github
          .comments(OWNER, REPO, 3)
          .find((comment) => comment.body.includes('lakeflow-connector-bot:plan')),
      20_000,
      'the plan posted for the proxied delivery',
    );
    expect(plan.body).toContain('acme_crm');
    expect(github.received.filter((request) => request.path.includes(`/${REPO}/issues/4`))).toEqual([]);
    await app.close();
    app = undefined;
    expect(smee.listeners()).toBe(0);
  }, 60_000);

  it('fails the boot with one line naming WEBHOOK_PROXY_URL when the channel does not answer', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}/channel`;

    const failure = await startApp({
      env: appTestEnv({
        github,
        prefix,
        overrides: { ANTHROPIC_API_KEY: 'unused', WEBHOOK_PROXY_URL: nowhere },
      }),
      Octokit: AppTestOctokit,
    }).then(
      () => null,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(
      /^WEBHOOK_PROXY_URL: could not connect to http:\/\/127\.0\.0\.1:\d+\/channel/,
    );
  }, 30_000);
});
