import { once } from 'node:events';
import { Redis } from 'ioredis';

/** A Redis connection used only to answer health checks. */
export interface RedisPinger {
  /** Resolves on PONG; rejects at once while the connection is down and not connecting (no offline queue). */
  ping(): Promise<void>;
  close(): void;
}

/**
 * A dedicated connection for `/healthz`: without an offline queue a ping fails immediately while
 * Redis is away, instead of piling up behind the app's own connection (which waits for Redis
 * forever, as BullMQ requires). It reconnects in the background; errors surface only through `ping`.
 */
export function createRedisPinger(redisUrl: string): RedisPinger {
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
  });
  redis.on('error', () => {
    // Reported as `redis.ok: false` by the health check.
  });
  return {
    async ping() {
      // Still connecting (at boot): wait for it; the caller's timeout bounds the wait.
      if (redis.status === 'connecting' || redis.status === 'connect') await once(redis, 'ready');
      await redis.ping();
    },
    close() {
      redis.disconnect();
    },
  };
}
