import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.js';
import { createLogger } from '../../src/logging.js';
import {
  createOperatorEndpoints,
  type OperatorEndpointsHandle,
} from '../../src/observability/operator-endpoints.js';
import { startWebServer } from '../../src/web-server.js';
import { CommittingStageRunner } from '../fakes/committing-stage-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

const OWNER = 'acme';
const REPO = 'connectors';
const FORM =
  '### Source name\n\nacme_crm\n\n### API documentation links\n\nhttps://developers.acme.example/api\n\n### Tables of interest\n\ncontacts, deals\n\n### Notes\n\n_No response_\n';
const DASHBOARD = { DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD: 'correct horse battery' };
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the operator endpoints', () => {
  let fake: FakeGitHub;
  let redis: Redis;
  const prefixes: string[] = [];
  const apps: App[] = [];

  async function start(env: Record<string, string>): Promise<{ app: App; url: string }> {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const fullEnv = appTestEnv({
      github: fake,
      prefix,
      overrides: { ANTHROPIC_API_KEY: 'unused-in-this-test', ...env },
    });
    const app = await startApp({
      env: fullEnv,
      ports: { stages: (github) => new CommittingStageRunner(github) },
      Octokit: AppTestOctokit,
    });
    apps.push(app);
    return { app, url: `http://127.0.0.1:${app.port}` };
  }

  beforeAll(async () => {
    fake = await startFakeGitHub({ webhookSecret: 'e2e-secret', botLogin: 'lakeflow-bot[bot]' });
    fake.addRepo({ owner: OWNER, repo: REPO, files: { 'README.md': '# connectors\n' } });
    fake.setPermission(OWNER, REPO, 'maintainer', 'write');
    redis = createTestRedis();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await fake?.close();
    if (redis) {
      for (const prefix of prefixes) await deleteKeysByPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  describe('when the process runs every role with the dashboard configured', () => {
    let url: string;

    beforeAll(async () => {
      const started = await start({ ...DASHBOARD });
      url = started.url;
      fake.webhookUrl = `${url}/api/github/webhooks`;
    });

    it('answers /healthz with 200 and the documented JSON', async () => {
      const response = await fetch(`${url}/healthz`);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({
        status: 'ok',
        redis: { ok: true, latencyMs: expect.any(Number) },
        queues: { events: { ok: true }, phases: { ok: true } },
        role: 'all',
      });
    });

    it('refuses to POST to /healthz', async () => {
      const response = await fetch(`${url}/healthz`, { method: 'POST' });

      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    });

    it('exposes webhook outcomes, a stage result, job counts and process metrics on /metrics', async () => {
      fake.addIssue({
        owner: OWNER,
        repo: REPO,
        number: 42,
        title: '[connector]: acme_crm',
        body: FORM,
        user: 'requester',
        labels: ['lakeflow-connector'],
      });
      const status = () =>
        fake
          .comments(OWNER, REPO, 42)
          .find((c) => c.body.startsWith('<!-- lakeflow-connector-bot:status -->'))?.body ?? '';

      await fake.sendWebhook('issues', fake.issueOpenedPayload({ owner: OWNER, repo: REPO, number: 42 }));
      await waitFor(async () => status().includes('waiting for `/approve` of the plan'), 15_000, 'the plan');
      await fake.sendWebhook(
        'issue_comment',
        fake.issueCommentCreatedPayload({
          owner: OWNER,
          repo: REPO,
          issue: 42,
          body: '/approve',
          user: 'maintainer',
        }),
      );
      await waitFor(
        async () => status().includes('waiting for `/approve` after *research*'),
        30_000,
        'the research gate',
      );
      const response = await fetch(`${url}/metrics`);
      const body = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(body).toContain('lakeflow_webhook_deliveries_total{event="issues.opened",outcome="enqueued"} 1');
      expect(body).toContain(
        'lakeflow_webhook_deliveries_total{event="issue_comment.created",outcome="enqueued"} 1',
      );
      expect(body).toMatch(
        /^lakeflow_phase_duration_seconds_count\{stage="research",outcome="succeeded"\} 1$/m,
      );
      expect(body).toMatch(/^lakeflow_tokens_total\{stage="research",kind="input"\} [1-9]\d*$/m);
      expect(body).toMatch(/^lakeflow_cost_usd_total\{stage="research"\} /m);
      expect(body).toMatch(/^lakeflow_jobs\{queue="events",state="completed"\} [1-9]\d*$/m);
      expect(body).toMatch(/^lakeflow_jobs\{queue="phases",state="completed"\} 1$/m);
      for (const name of [
        'lakeflow_ci_runs_total',
        'lakeflow_errors_total',
        'process_resident_memory_bytes',
      ]) {
        expect(body).toContain(`# TYPE ${name} `);
      }
    });

    it('asks for credentials at the dashboard, and refuses wrong ones', async () => {
      const missing = await fetch(`${url}/admin/queues`);
      const wrong = await fetch(`${url}/admin/queues`, {
        headers: { authorization: basic('ops', 'guess') },
      });
      const wrongOnApi = await fetch(`${url}/admin/queues/api/queues`, {
        headers: { authorization: basic('admin', DASHBOARD.DASHBOARD_PASSWORD) },
      });

      for (const response of [missing, wrong, wrongOnApi]) {
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
      }
    });

    it('serves the dashboard and its API with the right credentials', async () => {
      const authorization = basic(DASHBOARD.DASHBOARD_USER, DASHBOARD.DASHBOARD_PASSWORD);

      const page = await fetch(`${url}/admin/queues`, { headers: { authorization } });
      const api = await fetch(`${url}/admin/queues/api/queues?activeQueue=events&status=completed&page=1`, {
        headers: { authorization },
      });

      const asset = await fetch(`${url}/admin/queues/static/images/logo.svg`, { headers: { authorization } });

      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<base href="/admin/queues/" />');
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      expect(api.status).toBe(200);
      const { queues } = (await api.json()) as { queues: Array<{ name: string }> };
      expect(queues.map((queue) => queue.name).sort()).toEqual(['events', 'phases']);
    });

    it("refuses a queue change another site triggers in the operator's browser", async () => {
      const response = await fetch(`${url}/admin/queues/api/queues/events/retry/failed`, {
        method: 'PUT',
        headers: {
          authorization: basic(DASHBOARD.DASHBOARD_USER, DASHBOARD.DASHBOARD_PASSWORD),
          'sec-fetch-site': 'cross-site',
        },
      });

      expect(response.status).toBe(403);
    });
  });

  describe('when a worker-only process runs without dashboard credentials', () => {
    let url: string;

    beforeAll(async () => {
      url = (await start({ ROLE: 'worker' })).url;
    });

    it('still serves /healthz and /metrics on its port', async () => {
      const health = await fetch(`${url}/healthz`);
      const metrics = await fetch(`${url}/metrics`);

      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', role: 'worker' });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('# TYPE lakeflow_jobs gauge');
    });

    it('answers 404 for the dashboard and for webhooks', async () => {
      const dashboard = await fetch(`${url}/admin/queues`, {
        headers: { authorization: basic(DASHBOARD.DASHBOARD_USER, DASHBOARD.DASHBOARD_PASSWORD) },
      });
      const webhook = await fetch(`${url}/api/github/webhooks`, { method: 'POST', body: '{}' });

      expect(dashboard.status).toBe(404);
      expect(webhook.status).toBe(404);
    });
  });

  describe('when Redis is unreachable', () => {
    let server: Server;
    let endpoints: OperatorEndpointsHandle;

    beforeAll(async () => {
      const log = createLogger({ level: 'silent' });
      endpoints = createOperatorEndpoints({
        env: {
          REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
          KEY_PREFIX: uniquePrefix(),
          ROLE: 'web',
        },
        log,
      });
      server = await startWebServer({
        probot: null,
        path: '/api/github/webhooks',
        host: '127.0.0.1',
        port: 0,
        log,
        operator: endpoints.routes,
      });
    });

    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await endpoints?.close();
    });

    it('answers /healthz with 503 within a few seconds, naming what is down and no address', async () => {
      const { port } = server.address() as AddressInfo;
      const started = Date.now();

      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      const text = await response.text();

      expect(Date.now() - started).toBeLessThan(3_000);
      expect(response.status).toBe(503);
      expect(JSON.parse(text)).toEqual({
        status: 'degraded',
        redis: { ok: false, latencyMs: null },
        queues: { events: { ok: false }, phases: { ok: false } },
        role: 'web',
      });
      expect(text).not.toContain('127.0.0.1');
    });
  });
});
