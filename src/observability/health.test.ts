import { describe, expect, it } from 'vitest';
import { createHealthCheck } from './health.js';

const QUEUES_OK = async () => ({ events: true, phases: true });

describe('createHealthCheck', () => {
  it('is ok when Redis answers and both queues are open', async () => {
    const check = createHealthCheck({ pingRedis: async () => {}, checkQueues: QUEUES_OK, role: 'all' });

    const report = await check();

    expect(report).toEqual({
      status: 'ok',
      redis: { ok: true, latencyMs: expect.any(Number) },
      queues: { events: { ok: true }, phases: { ok: true } },
      role: 'all',
    });
  });

  it('is degraded when the ping fails, with no latency', async () => {
    const check = createHealthCheck({
      pingRedis: async () => {
        throw new Error('connect ECONNREFUSED');
      },
      checkQueues: QUEUES_OK,
      role: 'worker',
    });

    const report = await check();

    expect(report).toMatchObject({ status: 'degraded', redis: { ok: false, latencyMs: null } });
    expect(JSON.stringify(report)).not.toContain('ECONNREFUSED');
  });

  it('is degraded when the ping hangs past the timeout', async () => {
    const check = createHealthCheck({
      pingRedis: () => new Promise(() => {}),
      checkQueues: QUEUES_OK,
      role: 'web',
      timeoutMs: 20,
    });

    const report = await check();

    expect(report.redis).toEqual({ ok: false, latencyMs: null });
  });

  it('is degraded when a queue is closed or its check throws', async () => {
    const oneClosed = createHealthCheck({
      pingRedis: async () => {},
      checkQueues: async () => ({ events: true, phases: false }),
      role: 'all',
    });
    const throwing = createHealthCheck({
      pingRedis: async () => {},
      checkQueues: async () => {
        throw new Error('closed');
      },
      role: 'all',
    });

    expect(await oneClosed()).toMatchObject({
      status: 'degraded',
      queues: { events: { ok: true }, phases: { ok: false } },
    });
    expect((await throwing()).queues).toEqual({ events: { ok: false }, phases: { ok: false } });
  });
});
