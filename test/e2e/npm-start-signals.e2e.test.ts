import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { freePort } from '../helpers/free-port.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

async function answers(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * `npm start` as a process manager runs it: SIGTERM to the npm process reaches the bot (the start
 * script `exec`s), which shuts down and frees its port; nothing is left serving.
 */
describe('npm start under a process manager', () => {
  let fake: FakeGitHub;
  let child: ChildProcess | undefined;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    fake = await startFakeGitHub();
  });

  afterAll(async () => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await fake?.close();
    const redis = createTestRedis();
    await deleteKeysByPrefix(redis, prefix);
    redis.disconnect();
  });

  it('stops the bot on SIGTERM to npm and leaves nothing listening', async () => {
    const port = await freePort();
    const env = appTestEnv({
      github: fake,
      prefix,
      overrides: { PORT: String(port), ANTHROPIC_API_KEY: 'unused' },
    });
    child = spawn('npm', ['start', '--silent'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: 'ignore',
    });
    await waitFor(async () => (await answers(port)) || null, 60_000, 'the bot to serve /healthz');

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child?.once('exit', (exit) => resolve(exit)));

    await waitFor(async () => !(await answers(port)) || null, 15_000, 'the port to be free');
    expect(code).toBe(0);
  }, 120_000);

  it('boots from a .env written the way Probot’s setup flow writes it (the key on one line, \\n-escaped)', async () => {
    const port = await freePort();
    const env = appTestEnv({
      github: fake,
      prefix,
      overrides: { PORT: String(port), ANTHROPIC_API_KEY: 'unused' },
    });
    const dir = mkdtempSync(join(tmpdir(), 'dotenv-boot-'));
    // Probot's updateEnv: `KEY=value` per line, newlines in a value written as `\n`, nothing quoted.
    const lines = Object.entries(env).map(([key, value]) => `${key}=${value.replace(/\n/g, '\\n')}`);
    writeFileSync(join(dir, '.env'), lines.join('\n'));
    child = spawn(resolve('node_modules/.bin/tsx'), [resolve('src/main.ts')], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: 'ignore',
    });

    await waitFor(async () => (await answers(port)) || null, 60_000, 'the bot to serve /healthz');
    child.kill('SIGTERM');
    await new Promise((done) => child?.once('exit', done));
    expect(await answers(port)).toBe(false);
  }, 120_000);
});
