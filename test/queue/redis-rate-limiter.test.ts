import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisRateLimiter } from '../../src/adapters/redis/redis-rate-limiter.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';

describe('createRedisRateLimiter', () => {
  let redis: Redis;
  let prefix: string;

  beforeEach(() => {
    redis = createTestRedis();
    prefix = `${uniquePrefix()}:`;
  });

  afterEach(async () => {
    await deleteKeysByPrefix(redis, prefix);
    redis.disconnect();
  });

  it('allows `limit` hits per key, then refuses until the window ends', async () => {
    const allow = createRedisRateLimiter(redis, { prefix, limit: 2, windowSeconds: 1 });

    const first = [
      await allow('acme/connectors:stranger'),
      await allow('acme/connectors:stranger'),
      await allow('acme/connectors:stranger'),
    ];
    const other = await allow('acme/connectors:maintainer');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const later = await allow('acme/connectors:stranger');

    expect(first).toEqual([true, true, false]);
    expect(other).toBe(true);
    expect(later).toBe(true);
  });
});
