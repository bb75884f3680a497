import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.js';
import { createLogger } from '../../src/logging.js';
import { CommittingStageRunner } from '../fakes/committing-stage-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { deliverWebhook } from '../fakes/fake-github/webhooks.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const REPO = 'connectors';
const SECRET = 'e2e-secret';
const BOT = 'lakeflow-bot[bot]';
const FORM =
  '### Source name\n\nacme_crm\n\n### API documentation links\n\nhttps://developers.acme.example/api\n\n### Tables of interest\n\ncontacts, deals\n\n### Notes\n\n_No response_\n';
/** About 1 MB of prose: more than any body the bot reads, and than the events queue's job schema allows. */
const ONE_MB = `${'lorem ipsum dolor sit amet '.repeat(40_000)}\n`;

/** Hostile but signed (and unsigned) deliveries to the real app: never a 500, never a flood of log lines. */
describe('webhook hardening, end to end', () => {
  let fake: FakeGitHub;
  let app: App;
  let redis: Redis;
  let prefix: string;
  let url: string;
  const lines: Array<{ level: number; msg?: string; [key: string]: unknown }> = [];

  beforeAll(async () => {
    fake = await startFakeGitHub({ webhookSecret: SECRET, botLogin: BOT });
    fake.addRepo({ owner: OWNER, repo: REPO, files: { 'README.md': '# connectors\n' } });
    fake.setPermission(OWNER, REPO, 'maintainer', 'write');
    prefix = uniquePrefix();
    redis = createTestRedis();
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const env = appTestEnv({ github: fake, prefix, overrides: { ANTHROPIC_API_KEY: 'unused-in-this-test' } });
    app = await startApp({
      env,
      log: createLogger({ level: 'info', destination }),
      ports: { stages: (github) => new CommittingStageRunner(github) },
      Octokit: AppTestOctokit,
    });
    url = `http://127.0.0.1:${app.port}/api/github/webhooks`;
    fake.webhookUrl = url;
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

  const botComments = (issue: number) => fake.comments(OWNER, REPO, issue).filter((c) => c.user === BOT);
  const withMarker = (issue: number, key: string) =>
    botComments(issue).filter((c) => c.body.startsWith(`<!-- lakeflow-connector-bot:${key} -->`));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));
  const logged = (level: number) => lines.filter((line) => line.level === level);

  it('plans a connector request (the run the oversized deliveries must not touch)', async () => {
    fake.addIssue({
      owner: OWNER,
      repo: REPO,
      number: 42,
      title: '[connector]: acme_crm',
      body: FORM,
      user: 'requester',
      labels: ['lakeflow-connector'],
    });
    expect(
      await fake.sendWebhook('issues', fake.issueOpenedPayload({ owner: OWNER, repo: REPO, number: 42 })),
    ).toBe(200);
    await waitFor(async () => withMarker(42, 'status').length === 1, 15_000, 'the status comment');
    expect(withMarker(42, 'status')[0]?.body).toContain('waiting for `/approve` of the plan');
  });

  it('refuses `/approve` followed by ~1 MB of text: 2xx, one reply quoting nothing, the run unchanged', async () => {
    const statusBefore = withMarker(42, 'status')[0]?.body;
    const commentsBefore = botComments(42).length;
    const payload = fake.issueCommentCreatedPayload({
      owner: OWNER,
      repo: REPO,
      issue: 42,
      body: `/approve\n\n${ONE_MB}`,
      user: 'maintainer',
    });

    const status = await fake.sendWebhook('issue_comment', payload);

    expect(status).toBeLessThan(300);
    await waitFor(
      async () =>
        botComments(42).length > commentsBefore || withMarker(42, 'status')[0]?.body !== statusBefore,
      15_000,
      'the refusal (or the run moving)',
    );
    await settle();
    expect(withMarker(42, 'status')[0]?.body).toBe(statusBefore);
    const replies = botComments(42).slice(commentsBefore);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toContain('@maintainer');
    expect(replies[0]?.body).toMatch(/longer than 65,536 characters/);
    expect(replies[0]?.body).not.toContain('lorem ipsum');
    expect(replies[0]?.body.length).toBeLessThan(2_000);
    expect(withMarker(42, 'status')[0]?.body).toBe(statusBefore);
    expect(fake.reactions(OWNER, REPO, payload.comment.id)).toEqual([]);
    expect(fake.pulls(OWNER, REPO)).toEqual([]);
    expect(logged(50)).toEqual([]);
  });

  it('takes an edit of a comment to `/approve` plus ~1 MB as no command: 2xx, no reply, the run unchanged', async () => {
    const statusBefore = withMarker(42, 'status')[0]?.body;
    const commentsBefore = botComments(42).length;
    const created = fake.issueCommentCreatedPayload({
      owner: OWNER,
      repo: REPO,
      issue: 42,
      body: 'typo',
      user: 'maintainer',
    });
    const edited = {
      ...created,
      action: 'edited',
      comment: { ...created.comment, body: `/approve\n\n${ONE_MB}` },
      changes: { body: { from: 'typo' } },
    };

    expect(await fake.sendWebhook('issue_comment', edited)).toBeLessThan(300);
    await settle();

    expect(botComments(42)).toHaveLength(commentsBefore);
    expect(withMarker(42, 'status')[0]?.body).toBe(statusBefore);
    expect(logged(50)).toEqual([]);
  });

  it('refuses an opened connector issue whose body is ~1 MB: 2xx, one reply, no run', async () => {
    fake.addIssue({
      owner: OWNER,
      repo: REPO,
      number: 43,
      title: '[connector]: huge',
      body: `${FORM}\n${ONE_MB}`,
      user: 'requester',
      labels: ['lakeflow-connector'],
    });

    const status = await fake.sendWebhook(
      'issues',
      fake.issueOpenedPayload({ owner: OWNER, repo: REPO, number: 43 }),
    );

    expect(status).toBeLessThan(300);
    await waitFor(async () => botComments(43).length > 0, 15_000, 'the refusal');
    await settle();
    expect(botComments(43)).toHaveLength(1);
    expect(botComments(43)[0]?.body).toContain('@requester');
    expect(botComments(43)[0]?.body).toMatch(/larger than 64 KB/);
    expect(botComments(43)[0]?.body).not.toContain('lorem ipsum');
    expect(await redis.keys(`${prefix}:run:*43*`)).toEqual([]);
    expect(logged(50)).toEqual([]);
  });

  it('refuses an edit that makes a planned request ~1 MB: 2xx, one reply, the run unchanged', async () => {
    const statusBefore = withMarker(42, 'status')[0]?.body;
    const commentsBefore = botComments(42).length;
    const opened = fake.issueOpenedPayload({ owner: OWNER, repo: REPO, number: 42 });
    const edited = {
      ...opened,
      action: 'edited',
      issue: { ...opened.issue, body: `${FORM}\n${ONE_MB}` },
      changes: { body: { from: FORM } },
    };

    expect(await fake.sendWebhook('issues', edited)).toBeLessThan(300);
    await waitFor(async () => botComments(42).length > commentsBefore, 15_000, 'the refusal');
    await settle();

    const replies = botComments(42).slice(commentsBefore);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatch(/larger than 64 KB/);
    expect(withMarker(42, 'status')[0]?.body).toBe(statusBefore);
    expect(logged(50)).toEqual([]);
  });

  it('answers 400 to 50 badly signed and 5 unsigned deliveries with at most a couple of warn lines', async () => {
    const before = lines.length;
    const payload = fake.issueOpenedPayload({ owner: OWNER, repo: REPO, number: 42 });
    const statuses: number[] = [];
    for (let index = 0; index < 50; index += 1) {
      statuses.push(
        await deliverWebhook({ url, secret: `wrong-${index}`, name: 'issues', payload, id: `bad-${index}` }),
      );
    }
    for (let index = 0; index < 5; index += 1) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issues',
          'x-github-delivery': `unsigned-${index}`,
        },
        body: JSON.stringify(payload),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }

    expect(statuses.every((status) => status === 400 || status === 401)).toBe(true);
    const added = lines.slice(before);
    expect(added.filter((line) => line.level >= 50)).toEqual([]);
    const warnings = added.filter((line) => line.level === 40);
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(2);
    expect(warnings[0]).toMatchObject({ reason: 'bad_signature', event: 'issues' });
    expect(added.length).toBeLessThanOrEqual(3);
  });

  it('answers 413 to a body over 25 MB without logging an error', async () => {
    const before = lines.length;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'issues',
        'x-github-delivery': 'huge',
        'x-hub-signature-256': 'sha256=00',
      },
      body: JSON.stringify({ filler: 'z'.repeat(25 * 1024 * 1024) }),
    });
    await response.arrayBuffer();

    expect(response.status).toBe(413);
    expect(lines.slice(before).filter((line) => line.level >= 50)).toEqual([]);
  });

  it('still takes a signed delivery after the rejected ones', async () => {
    const commentsBefore = botComments(42).length;
    const payload = fake.issueCommentCreatedPayload({
      owner: OWNER,
      repo: REPO,
      issue: 42,
      body: '/help',
      user: 'maintainer',
    });

    expect(await fake.sendWebhook('issue_comment', payload)).toBe(200);
    await waitFor(async () => botComments(42).length > commentsBefore, 15_000, 'the /help reply');
  });

  it('still logs a genuine handler failure as an error', async () => {
    const before = lines.length;
    const opened = fake.issueOpenedPayload({ owner: OWNER, repo: REPO, number: 42 });
    // A repository name GitHub would never send (over 100 characters): the events job refuses it on
    // enqueue, so the handler throws, as any bug in a handler would.
    const broken = { ...opened, repository: { ...opened.repository, name: 'r'.repeat(101) } };

    const status = await fake.sendWebhook('issues', broken);

    expect(status).toBe(500);
    expect(lines.slice(before).some((line) => line.level === 50)).toBe(true);
  });
});
