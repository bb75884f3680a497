import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRunStore } from '../../src/adapters/redis/redis-run-store.js';
import { type App, startApp } from '../../src/app.js';
import { CommittingStageRunner } from '../fakes/committing-stage-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const REPO = 'greedy';
const FORM =
  '### Source name\n\nacme_crm\n\n### API documentation links\n\nhttps://developers.acme.example/api\n\n### Tables of interest\n\ncontacts\n\n### Notes\n\n_No response_\n';

/** A repository's config cannot spend more of the operator's key than the operator allows. */
describe('operator limits, end to end', () => {
  let fake: FakeGitHub;
  let app: App;
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    fake = await startFakeGitHub({ webhookSecret: 'limits-secret' });
    fake.addRepo({
      owner: OWNER,
      repo: REPO,
      files: {
        '.github/lakeflow-connector-bot.yml':
          'budgets:\n  runUsd: 10000\n  stageUsd: 5000\nautoApprove: [research, implement]\nmodels:\n  connector-dev: claude-opus-9-pricey\n',
      },
    });
    fake.addIssue({
      owner: OWNER,
      repo: REPO,
      number: 1,
      title: '[connector]: acme_crm',
      body: FORM,
      user: 'someone',
    });
    prefix = uniquePrefix();
    redis = createTestRedis();
    app = await startApp({
      env: appTestEnv({
        github: fake,
        prefix,
        overrides: {
          ANTHROPIC_API_KEY: 'unused',
          OPERATOR_MAX_RUN_USD: '50',
          OPERATOR_ALLOW_AUTO_APPROVE: 'false',
          OPERATOR_ALLOWED_MODELS: 'sonnet, haiku',
        },
      }),
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

  it('caps a repository asking for runUsd 10000, auto-approval and a model the operator does not allow, in the plan and in the run', async () => {
    expect(
      await fake.sendWebhook('issues', fake.issueOpenedPayload({ owner: OWNER, repo: REPO, number: 1 })),
    ).toBeLessThan(300);

    const plan = await waitFor(
      async () =>
        fake.comments(OWNER, REPO, 1).find((c) => c.body.startsWith('<!-- lakeflow-connector-bot:plan -->')),
      20_000,
      'the plan',
    );

    expect(plan.body).toContain('Budget: up to **$50.00** for this run and $32.00 per phase attempt');
    expect(plan.body).toContain('- `budgets.runUsd`: asked $10000.00, the operator allows at most $50.00');
    expect(plan.body).toContain('- `budgets.stageUsd`: asked $5000.00, the operator allows at most $32.00');
    expect(plan.body).toContain(
      '- `autoApprove`: asked for research, implement; the operator requires a person at every gate',
    );
    expect(plan.body).toContain(
      '- `models.connector-dev`: asked `claude-opus-9-pricey`, the operator allows `claude-sonnet-5-5`, `claude-haiku-5-5`',
    );
    const store = createRedisRunStore(redis, { prefix: `${prefix}:` });
    const run = (
      await store.load({ installationId: fake.installationId, owner: OWNER, repo: REPO, issue: 1 })
    )?.run;
    expect(run?.budget).toMatchObject({ runUsd: 50, stageUsd: 32 });
    expect(run?.settings.autoApprove).toEqual([]);
    fake.assertNoViolations();
  }, 60_000);
});
