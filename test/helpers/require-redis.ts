import { Redis } from 'ioredis';
import { redisUrl } from './redis.js';

const PING_TIMEOUT_MS = 2_000;

/**
 * vitest globalSetup of the `queue` project: the suite needs a real Redis and must fail, never
 * skip, without one (docs/architecture.md, Tests).
 */
export default async function requireRedis(): Promise<void> {
  const url = redisUrl();
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PING_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {
    // Reported below as one clear error.
  });
  try {
    await withTimeout(
      redis.connect().then(() => redis.ping()),
      PING_TIMEOUT_MS,
    );
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${url}; start it with \`redis-server --daemonize yes --port 6379 --save "" --appendonly no\` or set REDIS_URL`,
      { cause: error },
    );
  } finally {
    redis.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no PONG within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
