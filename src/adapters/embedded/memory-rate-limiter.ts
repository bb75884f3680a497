import { LRUCache } from 'lru-cache';

/**
 * The reply rate limit of a one-process deployment: at most `limit` hits per key per
 * `windowSeconds` (a fixed window from the key's first hit, as the Redis one), in memory, with at
 * most `maxKeys` keys (the least recently used go first). `now` (ms) is for tests.
 */
export function createMemoryRateLimiter(
  options: { limit?: number; windowSeconds?: number; maxKeys?: number; now?: () => number } = {},
): (key: string) => Promise<boolean> {
  const limit = options.limit ?? 5;
  const hits = new LRUCache<string, number>({
    max: options.maxKeys ?? 10_000,
    ttl: (options.windowSeconds ?? 600) * 1000,
    ttlResolution: 0,
    ...(options.now === undefined ? {} : { perf: { now: options.now } }),
  });
  return async (key) => {
    const count = (hits.get(key) ?? 0) + 1;
    // The window starts at the first hit: later hits keep its expiry.
    hits.set(key, count, { noUpdateTTL: hits.has(key) });
    return count <= limit;
  };
}
