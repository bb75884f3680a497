import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRunStore } from '../../src/adapters/redis/redis-run-store.js';
import { type App, startApp } from '../../src/app.js';
import type { Run, RunRef } from '../../src/domain/pipeline/run.js';
import type { RunStore } from '../../src/ports/run-store.js';
import { CommittingStageRunner } from '../fakes/committing-stage-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { newRun, runAtGate } from '../helpers/pipeline.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const REPO = 'connectors';
const BOT = 'lakeflow-bot[bot]';

/**
 * A command delivered late, through the real app: an `/approve` written while the run stood at one
 * gate, delivered after the run reached the next one, approves nothing and says so.
 */
describe('a command written before the gate it reaches, end to end', () => {
  let fake: FakeGitHub;
  let app: App;
  let redis: Redis;
  let store: RunStore;
  let prefix: string;

  beforeAll(async () => {
    fake = await startFakeGitHub({ webhookSecret: 'stale-secret', botLogin: BOT });
    fake.addRepo({ owner: OWNER, repo: REPO, files: { 'README.md': '# connectors\n' } });
    fake.setPermission(OWNER, REPO, 'maintainer', 'write');
    fake.addIssue({
      owner: OWNER,
      repo: REPO,
      number: 5,
      title: '[connector]: acme_crm',
      body: 'x',
      user: 'requester',
    });
    prefix = uniquePrefix();
    redis = createTestRedis();
    store = createRedisRunStore(redis, { prefix: `${prefix}:` });
    app = await startApp({
      env: appTestEnv({ github: fake, prefix, overrides: { ANTHROPIC_API_KEY: 'unused-in-this-test' } }),
      ports: { stages: (github) => new CommittingStageRunner(github) },
      Octokit: AppTestOctokit,
    });
    fake.webhookUrl = `http://127.0.0.1:${app.port}/api/github/webhooks`;
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
    if (redis) {
      await deleteKeysByPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  it('refuses an /approve delivered after the run moved to a newer gate, and leaves the run there', async () => {
    const ref: RunRef = { installationId: fake.installationId, owner: OWNER, repo: REPO, issue: 5 };
    // Written now, at the research gate; GitHub's timestamps are whole seconds.
    const late = fake.issueCommentCreatedPayload({
      owner: OWNER,
      repo: REPO,
      issue: 5,
      body: '/approve',
      user: 'maintainer',
    });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const later: Run = {
      ...runAtGate('implement', { ...newRun({ ref }), branch: 'lakeflow-connector/acme_crm' }),
      statusSince: new Date().toISOString(),
    };
    await store.save(ref, { run: later, outbox: null, appliedEventIds: [] }, 0);

    expect(await fake.sendWebhook('issue_comment', late, { id: `late-${prefix}` })).toBeLessThan(300);

    await waitFor(
      async () =>
        fake.comments(OWNER, REPO, 5).some((comment) => comment.body.includes('was written before')),
      20_000,
      'the reply',
    );
    const reply = fake
      .comments(OWNER, REPO, 5)
      .find((comment) => comment.body.includes('was written before'));
    expect(reply?.body).toContain(
      '@maintainer this `/approve` was written before the *implement* summary was posted',
    );
    expect((await store.load(ref))?.run.status).toEqual(later.status);
    fake.assertNoViolations();
  }, 60_000);
});
