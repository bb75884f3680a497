import { generateKeyPairSync } from 'node:crypto';
import { redisUrl } from './redis.js';

let cachedKey: string | undefined;

/** A throwaway RSA key (PKCS#1 PEM) for signing App JWTs in tests; made once per process. */
export function testPrivateKey(): string {
  cachedKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  return cachedKey;
}

/**
 * The environment `startApp` gets in end-to-end tests: the fake GitHub's App, the real Redis under
 * `prefix`, an ephemeral loopback port, logs silent unless `E2E_LOG_LEVEL` is set, and no dashboard
 * issue (its delayed writes would land amid other tests' assertions and take issue numbers; a test
 * of it sets `DASHBOARD_ISSUE_DELAY_SECONDS`). A plain record: Probot narrows
 * `ProcessEnv['LOG_LEVEL']` to its own levels.
 */
export function appTestEnv(params: {
  github: { appId: number; url: string; webhookSecret: string };
  prefix: string;
  overrides?: Record<string, string>;
}): Record<string, string> {
  return {
    APP_ID: String(params.github.appId),
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: params.github.webhookSecret,
    ANTHROPIC_API_KEY: 'test-key',
    GITHUB_API_URL: params.github.url,
    REDIS_URL: redisUrl(),
    KEY_PREFIX: params.prefix,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
    DASHBOARD_ISSUE_DELAY_SECONDS: '0',
    ...params.overrides,
  };
}
