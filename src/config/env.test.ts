import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../domain/accounting/pricing.js';
import { ConfigError } from '../errors.js';
import { readEnv } from './env.js';

const KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----';
const REQUIRED = { APP_ID: '123', PRIVATE_KEY: KEY, WEBHOOK_SECRET: 'shh', ANTHROPIC_API_KEY: 'sk-test' };

describe('readEnv', () => {
  it('applies the documented defaults', () => {
    const env = readEnv(REQUIRED);

    expect(env).toEqual({
      APP_ID: 123,
      PRIVATE_KEY: KEY,
      WEBHOOK_SECRET: 'shh',
      ANTHROPIC_API_KEY: 'sk-test',
      MODEL_PRICES: DEFAULT_PRICES,
      PORT: 3000,
      HOST: '0.0.0.0',
      WEBHOOK_PATH: '/api/github/webhooks',
      REDIS_URL: 'redis://127.0.0.1:6379',
      STORAGE: 'auto',
      DATA_DIR: '.lakeflow-connector-bot',
      KEY_PREFIX: 'lcb',
      ROLE: 'all',
      EVENT_CONCURRENCY: 4,
      PHASE_CONCURRENCY: 2,
      CI_POLL_INTERVAL_SECONDS: 60,
      REDELIVERY_INTERVAL_MINUTES: 10,
      DASHBOARD_ISSUE_DELAY_SECONDS: 30,
      REDIS_LOSS_CHECK_SECONDS: 30,
      OPERATOR_MAX_RUN_USD: 100,
      OPERATOR_MAX_STAGE_USD: 32,
      OPERATOR_MAX_RUN_TOKENS: 80_000_000,
      OPERATOR_MAX_STAGE_TOKENS: 16_000_000,
      OPERATOR_ALLOW_AUTO_APPROVE: 'true',
      OPERATOR_REQUIRE_COMMAND_PREFIX: 'false',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    });
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('names every malformed variable in one error', () => {
    const read = () => readEnv({ REDIS_URL: 'http://x', ROLE: 'both', PHASE_CONCURRENCY: '0' });

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(
      /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL[\s\S]*ROLE:[\s\S]*PHASE_CONCURRENCY:/,
    );
  });

  it('boots without an Anthropic key (the bot plans without one; phases then say to set it)', () => {
    const { ANTHROPIC_API_KEY: _key, ...withoutKey } = REQUIRED;

    expect(readEnv(withoutKey).ANTHROPIC_API_KEY).toBeUndefined();
    // An empty placeholder in a `.env` file counts as unset.
    expect(readEnv({ ...withoutKey, ANTHROPIC_API_KEY: '' }).ANTHROPIC_API_KEY).toBeUndefined();
  });

  it('refuses the disk storage in a process that runs only part of the bot', () => {
    expect(() => readEnv({ ...REQUIRED, STORAGE: 'disk', ROLE: 'web' })).toThrow(
      /ROLE: must be `all` with STORAGE=disk/,
    );
    expect(readEnv({ ...REQUIRED, STORAGE: 'disk' }).STORAGE).toBe('disk');
  });

  it('refuses a CI poll interval under 5 seconds, saying so', () => {
    const read = () => readEnv({ ...REQUIRED, CI_POLL_INTERVAL_SECONDS: '1' });

    expect(read).toThrow(/CI_POLL_INTERVAL_SECONDS: must be at least 5 \(seconds\)/);
  });

  it('reads numbers given as strings', () => {
    expect(readEnv({ ...REQUIRED, EVENT_CONCURRENCY: '8', ROLE: 'worker' })).toMatchObject({
      EVENT_CONCURRENCY: 8,
      ROLE: 'worker',
    });
  });

  it('says which required variables are missing', () => {
    expect(() => readEnv({})).toThrow(
      "Invalid environment:\n- APP_ID: is required: the GitHub App id, a number\n- PRIVATE_KEY: is required: the GitHub App's private key (PEM)\n- WEBHOOK_SECRET: is required: the webhook secret set on the GitHub App",
    );
  });

  it('reads a price table from MODEL_PRICES, and names a bad one', () => {
    const prices = {
      'claude-sonnet': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2, webSearchPer1000: 10 },
    };

    expect(readEnv({ ...REQUIRED, MODEL_PRICES: JSON.stringify(prices) }).MODEL_PRICES).toEqual(prices);
    expect(() => readEnv({ ...REQUIRED, MODEL_PRICES: '{"claude-sonnet": {"input": "cheap"}}' })).toThrow(
      /MODEL_PRICES: not a price table/,
    );
    expect(() => readEnv({ ...REQUIRED, MODEL_PRICES: 'free' })).toThrow(/MODEL_PRICES: must be JSON/);
  });

  describe('when the dashboard credentials are set', () => {
    it('turns the dashboard on with both, and off with neither', () => {
      const on = readEnv({ ...REQUIRED, DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD: 'correct horse' });
      const off = readEnv(REQUIRED);

      expect(on).toMatchObject({ DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD: 'correct horse' });
      expect(off.DASHBOARD_USER).toBeUndefined();
      expect(off.DASHBOARD_PASSWORD).toBeUndefined();
    });

    it.each([
      [{ DASHBOARD_USER: 'ops' }, '- DASHBOARD_PASSWORD: is required when DASHBOARD_USER is set'],
      [{ DASHBOARD_PASSWORD: 'secret' }, '- DASHBOARD_USER: is required when DASHBOARD_PASSWORD is set'],
      [{ DASHBOARD_USER: 'a:b', DASHBOARD_PASSWORD: 'secret' }, '- DASHBOARD_USER: must not contain `:`'],
      [{ DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD: '' }, '- DASHBOARD_PASSWORD: must not be empty'],
    ])('refuses %o at boot, naming the variable to fix', (vars, message) => {
      const read = () => readEnv({ ...REQUIRED, ...vars });

      expect(read).toThrow(ConfigError);
      expect(read).toThrow(message);
    });

    it('lists a missing half beside the other problems', () => {
      expect(() => readEnv({ DASHBOARD_USER: 'ops' })).toThrow(
        /APP_ID: is required[\s\S]*DASHBOARD_PASSWORD: is required when DASHBOARD_USER is set/,
      );
    });

    it('never echoes the password in the error', () => {
      expect(() => readEnv({ ...REQUIRED, DASHBOARD_PASSWORD: 'hunter2-secret' })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
      );
    });
  });

  it('accepts a private key with escaped newlines from a one-line env file', () => {
    const env = readEnv({ ...REQUIRED, PRIVATE_KEY: KEY.replace(/\n/g, '\\n') });

    expect(env.PRIVATE_KEY).toBe(KEY);
  });
});
