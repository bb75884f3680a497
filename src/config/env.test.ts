import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { readEnv } from './env.js';

describe('readEnv', () => {
  it('applies the documented defaults', () => {
    const env = readEnv({});

    expect(env).toEqual({
      REDIS_URL: 'redis://127.0.0.1:6379',
      ROLE: 'all',
      EVENT_CONCURRENCY: 4,
      PHASE_CONCURRENCY: 2,
      LOG_LEVEL: 'info',
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

  it('reads numbers given as strings', () => {
    expect(readEnv({ EVENT_CONCURRENCY: '8', ROLE: 'worker' })).toMatchObject({
      EVENT_CONCURRENCY: 8,
      ROLE: 'worker',
    });
  });
});
