import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** The Redis the queue tests run against: `REDIS_URL`, or the local default. */
export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A client for a test; close it with `quit()` in `afterEach`. */
export function createTestRedis(): Redis {
  return new Redis(redisUrl(), { maxRetriesPerRequest: 3 });
}

/** A prefix no other test uses: `test-<uuid>`, valid as a BullMQ prefix and as a key prefix. */
export function uniquePrefix(): string {
  return `test-${randomUUID()}`;
}

/** Deletes every key starting with `prefix` (SCAN, never KEYS); returns how many. */
export async function deleteKeysByPrefix(redis: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * Obliterates the named queues under a BullMQ `prefix` (forcing past active jobs), then deletes
 * whatever keys are left under it (events streams, meta). Call after workers are closed.
 */
export async function obliterateQueues(
  redis: Redis,
  params: { prefix: string; names: string[] },
): Promise<void> {
  for (const name of params.names) {
    const queue = new Queue(name, { connection: redis, prefix: params.prefix });
    try {
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
  }
  await deleteKeysByPrefix(redis, `${params.prefix}:`);
}
