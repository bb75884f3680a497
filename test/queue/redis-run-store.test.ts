import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisRunStore, runKey, runLockKey } from '../../src/adapters/redis/redis-run-store.js';
import type { Run, RunRef } from '../../src/domain/pipeline/run.js';
import { InvariantError, StateConflictError } from '../../src/errors.js';
import type { RunRecord, RunStore } from '../../src/ports/run-store.js';
import { newRun } from '../helpers/pipeline.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';

const REF: RunRef = { installationId: 7, owner: 'acme', repo: 'connectors', issue: 42 };
const REPO = { installationId: 7, owner: 'acme', repo: 'connectors', source: 'acme_crm' };

function buildRun(ref: RunRef = REF): Run {
  return newRun({ ref, tables: ['contacts'] });
}

function record(run: Run, appliedEventIds: string[] = []): RunRecord {
  return { run, outbox: null, appliedEventIds };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('createRedisRunStore', () => {
  let redis: Redis;
  let prefix: string;
  let store: RunStore;
  const clients: Redis[] = [];

  function extraClient(): Redis {
    const client = createTestRedis();
    clients.push(client);
    return client;
  }

  beforeEach(() => {
    redis = extraClient();
    prefix = `${uniquePrefix()}:`;
    store = createRedisRunStore(redis, { prefix });
  });

  afterEach(async () => {
    await deleteKeysByPrefix(redis, prefix);
    await Promise.all(clients.splice(0).map((client) => client.quit()));
  });

  describe('when saving and loading', () => {
    it('round-trips a record and starts at version 1', async () => {
      const run = buildRun();

      const version = await store.save(
        REF,
        { run, outbox: { eventId: 'e1', effects: [{ type: 'sync_status' }] }, appliedEventIds: ['e1'] },
        0,
      );

      expect(version).toBe(1);
      expect(await store.load(REF)).toEqual({
        version: 1,
        run,
        outbox: { eventId: 'e1', effects: [{ type: 'sync_status' }] },
        appliedEventIds: ['e1'],
      });
    });

    it('returns null for a run never saved', async () => {
      expect(await store.load({ ...REF, issue: 999 })).toBeNull();
    });

    it('increments the version on every save', async () => {
      const run = buildRun();

      const first = await store.save(REF, record(run), 0);
      const second = await store.save(REF, record({ ...run, testIterations: 1 }), first);

      expect([first, second]).toEqual([1, 2]);
      expect((await store.load(REF))?.run.testIterations).toBe(1);
    });

    it('keeps only the newest 100 applied event ids', async () => {
      const ids = Array.from({ length: 130 }, (_, index) => `event-${index}`);

      await store.save(REF, record(buildRun(), ids), 0);

      const loaded = await store.load(REF);
      expect(loaded?.appliedEventIds).toHaveLength(100);
      expect(loaded?.appliedEventIds[0]).toBe('event-30');
      expect(loaded?.appliedEventIds.at(-1)).toBe('event-129');
    });

    it('refuses an invalid record without writing it', async () => {
      const bad = { ...buildRun(), source: 'Not A Source' };

      await expect(store.save(REF, record(bad), 0)).rejects.toBeInstanceOf(InvariantError);

      expect(await redis.exists(runKey(REF, prefix))).toBe(0);
    });
  });

  describe('when another writer saved first', () => {
    it('throws StateConflictError naming both versions and leaves the record unchanged', async () => {
      const run = buildRun();
      await store.save(REF, record(run), 0);
      await store.save(REF, record({ ...run, testIterations: 1 }), 1);

      const stale = store.save(REF, record({ ...run, testIterations: 9 }), 1);

      await expect(stale).rejects.toBeInstanceOf(StateConflictError);
      await expect(stale).rejects.toThrow(/expected version 1, found 2/);
      const loaded = await store.load(REF);
      expect(loaded?.version).toBe(2);
      expect(loaded?.run.testIterations).toBe(1);
    });

    it('loses no update in two concurrent read-modify-write loops', async () => {
      const other = createRedisRunStore(extraClient(), { prefix });
      await store.save(REF, record(buildRun()), 0);
      let conflicts = 0;
      async function increment(target: RunStore, times: number): Promise<void> {
        for (let done = 0; done < times; ) {
          const current = await target.load(REF);
          if (current === null) throw new Error('run vanished');
          const next = { ...current.run, testIterations: current.run.testIterations + 1 };
          try {
            await target.save(REF, record(next), current.version);
            done += 1;
          } catch (error) {
            if (!(error instanceof StateConflictError)) throw error;
            conflicts += 1;
          }
        }
      }

      await Promise.all([increment(store, 25), increment(other, 25)]);

      const loaded = await store.load(REF);
      expect(loaded?.run.testIterations).toBe(50);
      expect(loaded?.version).toBe(51);
      expect(conflicts).toBeGreaterThan(0);
    });
  });

  describe('when the stored record is corrupt', () => {
    it('throws InvariantError naming the key for a record that is not JSON', async () => {
      await redis.set(runKey(REF, prefix), '{not json');

      const load = store.load(REF);

      await expect(load).rejects.toBeInstanceOf(InvariantError);
      await expect(load).rejects.toThrow(runKey(REF, prefix));
    });

    it('throws InvariantError with the zod issue for JSON of the wrong shape', async () => {
      await redis.set(runKey(REF, prefix), JSON.stringify({ version: 1, run: { schemaVersion: 2 } }));

      await expect(store.load(REF)).rejects.toThrow(/does not match the schema[\s\S]*schemaVersion/);
    });
  });

  describe('the active-source index', () => {
    it('points at a run that is not done or cancelled', async () => {
      await store.save(REF, record(buildRun()), 0);

      expect(await store.findActiveRun(REPO)).toEqual(REF);
      expect(await store.findActiveRun({ ...REPO, source: 'other_source' })).toBeNull();
      expect(await store.findActiveRun({ ...REPO, repo: 'elsewhere' })).toBeNull();
    });

    it.each([
      ['done', { kind: 'done' as const }],
      ['cancelled', { kind: 'cancelled' as const, by: 'maintainer' }],
    ])('is cleared when the run is %s', async (_, status) => {
      const run = buildRun();
      await store.save(REF, record(run), 0);

      await store.save(REF, record({ ...run, status }), 1);

      expect(await store.findActiveRun(REPO)).toBeNull();
    });

    it('is not cleared by another issue ending a run of the same source', async () => {
      const otherRef = { ...REF, issue: 43 };
      await store.save(REF, record(buildRun()), 0);

      await store.save(otherRef, record({ ...buildRun(otherRef), status: { kind: 'done' } }), 0);

      expect(await store.findActiveRun(REPO)).toEqual(REF);
    });
  });

  describe('withLock', () => {
    it('runs two critical sections of one run one after the other', async () => {
      const other = createRedisRunStore(extraClient(), { prefix });
      const log: string[] = [];
      async function section(name: string): Promise<void> {
        log.push(`${name} start`);
        await sleep(150);
        log.push(`${name} end`);
      }

      await Promise.all([store.withLock(REF, () => section('a')), other.withLock(REF, () => section('b'))]);

      expect(log).toHaveLength(4);
      expect(log[0]?.split(' ')[0]).toBe(log[1]?.split(' ')[0]);
      expect(log[2]?.split(' ')[0]).toBe(log[3]?.split(' ')[0]);
      expect(await redis.exists(runLockKey(REF, prefix))).toBe(0);
    });

    it('throws StateConflictError when the lock stays busy past lockWaitMs', async () => {
      const impatient = createRedisRunStore(extraClient(), { prefix, lockWaitMs: 200 });
      let release: () => void = () => undefined;
      const held = store.withLock(REF, () => new Promise<void>((resolve) => (release = resolve)));
      await sleep(50);

      const waiting = impatient.withLock(REF, async () => 'ran');

      await expect(waiting).rejects.toBeInstanceOf(StateConflictError);
      release();
      await held;
    });

    it('renews the lock while the critical section runs', async () => {
      const shortLived = createRedisRunStore(redis, { prefix, lockTtlMs: 300 });
      const contender = createRedisRunStore(extraClient(), { prefix, lockWaitMs: 300 });

      const held = shortLived.withLock(REF, () => sleep(900));
      await sleep(500);

      await expect(contender.withLock(REF, async () => 'ran')).rejects.toBeInstanceOf(StateConflictError);
      await held;
    });

    it('does not release a lock that expired and was taken by someone else', async () => {
      const key = runLockKey(REF, prefix);

      await store.withLock(REF, async () => {
        await redis.set(key, 'new-owner', 'PX', 10_000);
      });

      expect(await redis.get(key)).toBe('new-owner');
    });
  });
});
