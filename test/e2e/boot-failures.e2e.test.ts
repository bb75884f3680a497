import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { ConfigError } from '../../src/errors.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { freePort } from '../helpers/free-port.js';
import { uniquePrefix } from '../helpers/redis.js';

/** A boot that cannot reach what it needs stops with one line that names the setting and the cause. */
describe('boot failures, through the real app', () => {
  let fake: FakeGitHub;

  beforeAll(async () => {
    fake = await startFakeGitHub();
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('names REDIS_URL (password hidden) and the cause when Redis does not answer, within seconds', async () => {
    const env = appTestEnv({
      github: fake,
      prefix: uniquePrefix(),
      overrides: { ANTHROPIC_API_KEY: 'unused', REDIS_URL: 'redis://app:s3cret@127.0.0.1:1' },
    });
    const started = Date.now();

    const failure = await startApp({ env, Octokit: AppTestOctokit }).then(
      () => null,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ConfigError);
    const message = (failure as Error).message;
    expect(message).toMatch(
      /^REDIS_URL \(redis:\/\/app:\*\*\*@127\.0\.0\.1:1\) cannot be reached: .*ECONNREFUSED/,
    );
    expect(message).not.toContain('s3cret');
    expect(message.split('\n')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('names the GitHub it could not reach and the cause, at once, with Octokit as deployed (no boot retries)', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const env = appTestEnv({
      github: { ...fake, url: closed },
      prefix: uniquePrefix(),
      overrides: { ANTHROPIC_API_KEY: 'unused' },
    });
    const started = Date.now();

    const failure = await startApp({ env }).then(
      () => null,
      (error: unknown) => error,
    );

    const message = failure instanceof Error ? failure.message : '';
    expect(message).toMatch(
      new RegExp(
        `^GitHub could not be reached at boot \\(GET ${closed}/app: .*ECONNREFUSED.*\\): check GITHUB_API_URL`,
      ),
    );
    expect(message.split('\n')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 30_000);
});
