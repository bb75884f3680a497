import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';

/**
 * What each role composes: only a process that runs workers builds their ports (the model, the agent
 * runtime, the agent files). A web process never reads the agent files, so a broken one stops the
 * workers from booting and leaves the webhook server alone.
 */
describe('the composition of each role', () => {
  let fake: FakeGitHub;
  let redis: Redis;
  let prefix: string;
  let agentsDir: string;

  beforeAll(async () => {
    fake = await startFakeGitHub();
    redis = createTestRedis();
    prefix = uniquePrefix();
    agentsDir = await mkdtemp(join(tmpdir(), 'agents-'));
    await writeFile(join(agentsDir, 'connector-dev.md'), 'no front matter here\n');
  });

  afterAll(async () => {
    await rm(agentsDir, { recursive: true, force: true });
    await fake?.close();
    if (redis) {
      await deleteKeysByPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  const envFor = (role: string) =>
    appTestEnv({
      github: fake,
      prefix,
      overrides: { ROLE: role, AGENTS_DIR: agentsDir, REDIS_LOSS_CHECK_SECONDS: '0' },
    });

  it('starts a web process without reading the agent files', async () => {
    const app = await startApp({ env: envFor('web') });
    try {
      expect(app.port).toBeGreaterThan(0);
      const health = await fetch(`http://127.0.0.1:${app.port}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it.each(['worker', 'all'])(
    'refuses to start a %s process on a broken agent file, naming it',
    async (role) => {
      await expect(startApp({ env: envFor(role) })).rejects.toThrow(/connector-dev\.md/);
    },
  );
});
