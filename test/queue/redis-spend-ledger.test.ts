import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisSpendLedger, spendLedgerKey } from '../../src/adapters/redis/redis-spend-ledger.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';

const TURN = { inputTokens: 100, outputTokens: 10, cacheReadTokens: 5, cacheWriteTokens: 1, costUsd: 0.125 };

describe('createRedisSpendLedger', () => {
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

  it('sums every turn of a job across attempts, counts a turn written twice once, and keeps jobs apart', async () => {
    const ledger = createRedisSpendLedger(redis, { prefix });

    await ledger.record('job-a1', 'n1-agent-t1', TURN);
    await ledger.record('job-a1', 'n1-agent-t1', TURN);
    await ledger.record('job-a1', 'n1-agent-t2', TURN);
    await ledger.record('job-a1', 'n2-agent-t1', TURN);
    await ledger.record('job-a2', 'n3-agent-t1', TURN);

    expect(await ledger.total('job-a1')).toEqual({
      usage: { inputTokens: 300, outputTokens: 30, cacheReadTokens: 15, cacheWriteTokens: 3, costUsd: 0.375 },
      turns: 3,
    });
    expect((await ledger.total('job-a2')).turns).toBe(1);
    expect((await ledger.total('job-none')).usage.costUsd).toBe(0);
    expect(await redis.ttl(spendLedgerKey('job-a1', prefix))).toBeGreaterThan(0);
  });

  it('reads a value it cannot parse as no spend instead of failing the job', async () => {
    const ledger = createRedisSpendLedger(redis, { prefix });
    await redis.hset(spendLedgerKey('job-a1', prefix), 'old', 'not json', 'odd', '{"costUsd":-1}');
    await ledger.record('job-a1', 'n1-agent-t1', TURN);

    expect((await ledger.total('job-a1')).usage).toEqual(TURN);
  });
});
