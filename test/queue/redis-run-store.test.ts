import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activeRunsKey,
  createRedisRunStore,
  RUNS_INDEX_KEPT,
  repoRunsKey,
  runKey,
  runLockKey,
} from '../../src/adapters/redis/redis-run-store.js';
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

  describe('listRuns', () => {
    const REPO_REF = { installationId: 7, owner: 'acme', repo: 'connectors' };
    const at = (minute: number) => `2026-07-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

    async function saveRun(issue: number, minute: number, status?: Run['status']): Promise<Run> {
      const ref = { ...REF, issue };
      const base = buildRun(ref);
      const run = { ...base, updatedAt: at(minute), ...(status === undefined ? {} : { status }) };
      await store.save(ref, record(run), 0);
      return run;
    }

    const issuesOf = (runs: Run[]) => runs.map((run) => run.ref.issue).sort((a, b) => a - b);

    it('lists every active run and the most recently updated others of the repository only', async () => {
      await saveRun(1, 1, { kind: 'done' });
      await saveRun(2, 2, { kind: 'cancelled', by: 'maintainer' });
      await saveRun(3, 3);
      await saveRun(4, 4, { kind: 'done' });
      await store.save(
        { ...REF, repo: 'elsewhere', issue: 5 },
        record(buildRun({ ...REF, repo: 'elsewhere', issue: 5 })),
        0,
      );

      expect(issuesOf(await store.listRuns(REPO_REF, { recent: 2 }))).toEqual([3, 4]);
      expect(issuesOf(await store.listRuns(REPO_REF, { recent: 1 }))).toEqual([3, 4]);
      expect(issuesOf(await store.listRuns(REPO_REF, { recent: 0 }))).toEqual([3]);
      expect(issuesOf(await store.listRuns(REPO_REF, { recent: 10 }))).toEqual([1, 2, 3, 4]);
      expect(await store.listRuns({ ...REPO_REF, installationId: 8 }, { recent: 10 })).toEqual([]);
    });

    it('lists the run as last saved, once, ranked by its last update', async () => {
      const run = await saveRun(1, 1);
      await saveRun(2, 2, { kind: 'done' });
      await store.save(run.ref, record({ ...run, updatedAt: at(3), status: { kind: 'done' } }), 1);

      const listed = await store.listRuns(REPO_REF, { recent: 1 });

      expect(listed.map((each) => [each.ref.issue, each.status.kind])).toEqual([[1, 'done']]);
    });

    it('keeps the newest runs in the index and still lists an old active run', async () => {
      await saveRun(1, 0);
      for (let issue = 2; issue <= RUNS_INDEX_KEPT + 2; issue += 1) {
        await redis.zadd(repoRunsKey(REPO_REF, prefix), Date.parse(at(0)) + issue, String(issue));
      }
      await saveRun(RUNS_INDEX_KEPT + 3, 59, { kind: 'done' });

      expect(await redis.zcard(repoRunsKey(REPO_REF, prefix))).toBe(RUNS_INDEX_KEPT);
      expect(await redis.zscore(repoRunsKey(REPO_REF, prefix), '1')).toBeNull();
      expect(issuesOf(await store.listRuns(REPO_REF, { recent: 1 }))).toEqual([1, RUNS_INDEX_KEPT + 3]);
    });

    it('lists an active run saved before the index existed, and leaves out a record that does not parse', async () => {
      const legacy = buildRun({ ...REF, issue: 8 });
      await redis.set(
        runKey(legacy.ref, prefix),
        JSON.stringify({ version: 1, run: legacy, outbox: null, appliedEventIds: [] }),
      );
      await redis.hset(activeRunsKey(REPO_REF, prefix), legacy.source, '8', 'other_source', '9');
      await redis.set(runKey({ ...REF, issue: 9 }, prefix), '{"version":1,"run":{}}');

      const listed = await store.listRuns(REPO_REF, { recent: 5 });

      expect(issuesOf(listed)).toEqual([8]);
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
