import type { Redis } from 'ioredis';

/**
 * A fixed-window rate limit in Redis: at most `limit` hits per key per `windowSeconds`. Shared by
 * every web process, so a stranger cannot make the bot reply more often by hitting another host.
 */
export function createRedisRateLimiter(
  redis: Redis,
  options: { prefix?: string; limit?: number; windowSeconds?: number } = {},
): (key: string) => Promise<boolean> {
  const prefix = options.prefix ?? 'lcb:';
  const limit = options.limit ?? 5;
  const windowSeconds = options.windowSeconds ?? 600;
  return async (key) => {
    const redisKey = `${prefix}rate:${key}`;
    const [[, count]] = (await redis.multi().incr(redisKey).expire(redisKey, windowSeconds, 'NX').exec()) as [
      [Error | null, number],
    ];
    return count <= limit;
  };
}
