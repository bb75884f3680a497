import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES, queueConnectionOptions } from '../../src/adapters/queue/queues.js';
import { type App, startApp } from '../../src/app.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import {
  buildIssueComment,
  buildIssueEvent,
  buildReview,
  buildWorkflowRun,
} from '../helpers/build-webhook.js';
import {
  createTestRedis,
  deleteKeysByPrefix,
  obliterateQueues,
  redisUrl,
  uniquePrefix,
} from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const REPO = 'connectors';
const PR_BODY = '<!-- lakeflow-connector-bot:pr-body -->\nCloses #42.\n\nAdds the connector.';
const PASSWORD = ['Tr0ub4', 'dor&3x'].join('');

/**
 * Acknowledge first, look up later: the web process (`ROLE=web`, so no worker makes a call of its
 * own) answers every kind of delivery a maintainer or a stranger causes with no request to GitHub,
 * and even while GitHub fails every request, the delivery is queued, not lost.
 */
describe('webhook acknowledgements, end to end', () => {
  let fake: FakeGitHub;
  let app: App;
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    fake = await startFakeGitHub({ webhookSecret: 'ack-secret' });
    fake.addRepo({ owner: OWNER, repo: REPO, files: { 'README.md': '# connectors\n' } });
    fake.addIssue({
      owner: OWNER,
      repo: REPO,
      number: 42,
      title: '[connector]: acme_crm',
      body: 'x',
      user: 'r',
    });
    prefix = uniquePrefix();
    redis = createTestRedis();
    app = await startApp({
      env: appTestEnv({ github: fake, prefix, overrides: { ROLE: 'web', REDIS_LOSS_CHECK_SECONDS: '0' } }),
    });
    fake.webhookUrl = `http://127.0.0.1:${app.port}/api/github/webhooks`;
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
    if (redis) {
      await obliterateQueues(redis, { prefix, names: Object.values(QUEUE_NAMES) });
      await deleteKeysByPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  it('queues a command, a review, a CI result, pasted credentials and a labelled request with no GitHub call', async () => {
    // Whatever the app reads at boot (its identity, the delivery log) is done before the deliveries.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = fake.received.length;
    fake.faults = () => ({ when: 'before', status: 503 });
    const installation = { id: fake.installationId };
    const deliveries: Array<[string, unknown]> = [
      [
        'issue_comment',
        fake.issueCommentCreatedPayload({
          owner: OWNER,
          repo: REPO,
          issue: 42,
          body: '/approve',
          user: 'maintainer',
        }),
      ],
      [
        'pull_request_review',
        { ...buildReview({ body: 'use cursors', pullRequestBody: PR_BODY }), installation },
      ],
      [
        'workflow_run',
        { ...buildWorkflowRun({ runName: 'lakeflow acme-connectors-42-b1-test-a1-simulate' }), installation },
      ],
      [
        'issue_comment',
        {
          ...buildIssueComment({
            body: `password: ${PASSWORD}`,
            login: 'stranger',
            labels: ['lakeflow-connector'],
          }),
          installation,
        },
      ],
      [
        'issues',
        {
          ...buildIssueEvent({ action: 'opened', body: 'Please add Acme.', labels: ['new-connector'] }),
          installation,
        },
      ],
    ];

    const statuses: number[] = [];
    for (const [index, [name, payload]] of deliveries.entries())
      statuses.push(await fake.sendWebhook(name, payload, { id: `ack-${prefix}-${index}` }));

    expect(
      statuses.every((status) => status >= 200 && status < 300),
      `statuses ${statuses.join(', ')}`,
    ).toBe(true);
    expect(fake.received.slice(before)).toEqual([]);
    const events = new Queue(QUEUE_NAMES.events, { connection: queueConnectionOptions(redisUrl()), prefix });
    try {
      const kinds = await waitFor(
        async () => {
          const jobs = await events.getJobs(['waiting']);
          return jobs.length === deliveries.length ? jobs.map((job) => job.data.kind).sort() : null;
        },
        5_000,
        'the queued jobs',
      );
      expect(kinds).toEqual(['command', 'credentials_warning', 'issue_request', 'review', 'workflow_run']);
    } finally {
      await events.close();
      fake.faults = undefined;
    }
  });
});
