import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderMarker } from '../../src/domain/render/markers.js';
import type { DeliveryAttempt, WebhookDeliveries } from '../../src/ports/webhook-deliveries.js';
import { aliveKey, checkRedisLoss } from '../../src/workers/redis-loss-watch.js';
import { RecordingJobQueue } from '../fakes/recording-job-queue.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';

const NOW = new Date('2026-12-04T01:00:00Z');
const base = { installation: { id: 7 }, repository: { name: 'connectors', owner: { login: 'acme' } } };

/** A delivery log holding `payloads` (newest first), as `GET /app/hook/deliveries` lists them. */
function deliveryLog(
  payloads: Array<{ event: string; payload: unknown; minutesAgo: number }>,
): WebhookDeliveries & {
  reads: number;
} {
  const attempts: DeliveryAttempt[] = payloads.map((item, index) => ({
    id: index + 1,
    guid: `guid-${index + 1}`,
    deliveredAt: new Date(NOW.getTime() - item.minutesAgo * 60_000),
    statusCode: 202,
    redelivery: false,
    event: item.event,
  }));
  const log = {
    reads: 0,
    async listSince(since: Date) {
      return attempts.filter((attempt) => attempt.deliveredAt >= since);
    },
    async payloadOf(id: number) {
      log.reads += 1;
      return payloads[id - 1]?.payload;
    },
    async redeliver() {},
  };
  return log;
}

describe('the Redis loss watch', () => {
  let redis: Redis;
  let prefix: string;

  beforeEach(() => {
    redis = createTestRedis();
    prefix = uniquePrefix();
  });

  afterEach(async () => {
    await deleteKeysByPrefix(redis, prefix);
    redis.disconnect();
  });

  it('queues a rebuild of each run a recent delivery names once Redis lost its data, then not again', async () => {
    const jobs = new RecordingJobQueue();
    const deliveries = deliveryLog([
      {
        event: 'issue_comment',
        payload: { ...base, issue: { number: 42, body: '/approve' } },
        minutesAgo: 1,
      },
      { event: 'issues', payload: { ...base, issue: { number: 42, body: 'form' } }, minutesAgo: 3 },
      {
        event: 'pull_request_review',
        payload: { ...base, pull_request: { body: `${renderMarker('pr-body')}\nCloses #43.` } },
        minutesAgo: 5,
      },
      { event: 'push', payload: { ...base }, minutesAgo: 6 },
      { event: 'issues', payload: { ...base, issue: { number: 44, body: 'old' } }, minutesAgo: 600 },
    ]);
    const deps = {
      redis,
      prefix,
      deliveries,
      jobs,
      clock: { now: () => NOW },
      log: pino({ level: 'silent' }),
    };

    expect(await checkRedisLoss(deps)).toBe(2);
    expect(jobs.list().map((job) => job.kind === 'rebuild' && job.ref.issue)).toEqual([42, 43]);
    expect(await redis.get(aliveKey(prefix))).toBe(NOW.toISOString());

    expect(await checkRedisLoss(deps)).toBe(0);
    expect(deliveries.reads).toBe(4);

    await redis.del(aliveKey(prefix));
    expect(await checkRedisLoss(deps)).toBe(2);
  });

  it('looks again on the next check when the delivery log cannot be read', async () => {
    const jobs = new RecordingJobQueue();
    const failing: WebhookDeliveries = {
      listSince: async () => {
        throw new Error('GitHub answered 502');
      },
      payloadOf: async () => null,
      redeliver: async () => {},
    };
    const deps = {
      redis,
      prefix,
      deliveries: failing,
      jobs,
      clock: { now: () => NOW },
      log: pino({ level: 'silent' }),
    };

    await expect(checkRedisLoss(deps)).rejects.toThrow('502');

    expect(await redis.exists(aliveKey(prefix))).toBe(0);
  });
});
