import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { selectRepoRuns } from '../../domain/pipeline/repo-runs.js';
import type { RunRef, RunStatusKind } from '../../domain/pipeline/run.js';
import { InvariantError, StateConflictError } from '../../errors.js';
import type { RunStore, StoredRun } from '../../ports/run-store.js';
import { APPLIED_EVENT_IDS_MAX, StoredRunRecord } from '../redis/redis-run-store.js';
import { readJsonFile, writeJsonAtomic } from './write-json-atomic.js';

const ENDED_STATUSES: ReadonlySet<RunStatusKind> = new Set<RunStatusKind>(['done', 'cancelled']);

/** The file of a run: `<dir>/<installation>-<owner>-<repo>-<issue>.json` (names made safe for a file system). */
export function runFileName(ref: RunRef): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${ref.installationId}-${safe(ref.owner)}-${safe(ref.repo)}-${ref.issue}.json`;
}

/**
 * A `RunStore` on JSON files in `dir` (the CLI uses `.git/lakeflow-connector-bot/runs/`), for one
 * process: the same record format and compare-and-set semantics as the Redis store (a save names the
 * version it read; a mismatch throws `StateConflictError`), atomic writes by rename, and `withLock`
 * as an in-process queue per run.
 */
export function createFileRunStore(dir: string): RunStore & { list(): Promise<StoredRun[]> } {
  const locks = new Map<string, Promise<unknown>>();
  const pathOf = (ref: RunRef) => join(dir, runFileName(ref));

  async function load(ref: RunRef): Promise<StoredRun | null> {
    const record = await readJsonFile(pathOf(ref), StoredRunRecord);
    return record === null ? null : { ...record };
  }

  async function list(): Promise<StoredRun[]> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const runs: StoredRun[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const record = await readJsonFile(join(dir, name), StoredRunRecord);
      if (record !== null) runs.push(record);
    }
    return runs;
  }

  return {
    load,
    list,

    async save(ref, record, expectedVersion) {
      const found = await load(ref);
      const version = found?.version ?? 0;
      if (version !== expectedVersion) {
        throw new StateConflictError(
          `Run ${runFileName(ref)} was saved by someone else: expected version ${expectedVersion}, found ${version}`,
        );
      }
      const parsed = StoredRunRecord.safeParse({
        version: expectedVersion + 1,
        run: record.run,
        outbox: record.outbox,
        appliedEventIds: record.appliedEventIds.slice(-APPLIED_EVENT_IDS_MAX),
      });
      if (!parsed.success) {
        throw new InvariantError(
          `Refusing to save an invalid run ${runFileName(ref)}:\n${z.prettifyError(parsed.error)}`,
          {
            cause: parsed.error,
          },
        );
      }
      if (runFileName(parsed.data.run.ref) !== runFileName(ref)) {
        throw new InvariantError(
          `Refusing to save run ${runFileName(parsed.data.run.ref)} as ${runFileName(ref)}`,
        );
      }
      await writeJsonAtomic(pathOf(ref), parsed.data);
      return parsed.data.version;
    },

    async withLock(ref, fn) {
      const key = runFileName(ref);
      const previous = locks.get(key) ?? Promise.resolve();
      const current = previous.catch(() => undefined).then(fn);
      const settled = current.catch(() => undefined);
      locks.set(key, settled);
      try {
        return await current;
      } finally {
        if (locks.get(key) === settled) locks.delete(key);
      }
    },

    async findActiveRun(params) {
      const active = (await list()).filter(
        (stored) =>
          stored.run.ref.installationId === params.installationId &&
          stored.run.ref.owner === params.owner &&
          stored.run.ref.repo === params.repo &&
          stored.run.source === params.source &&
          !ENDED_STATUSES.has(stored.run.status.kind),
      );
      const newest = active.sort((a, b) => b.run.ref.issue - a.run.ref.issue)[0];
      return newest?.run.ref ?? null;
    },

    async listRuns(repo, { recent }) {
      return selectRepoRuns(
        (await list()).map((stored) => stored.run),
        repo,
        recent,
      );
    },
  };
}
