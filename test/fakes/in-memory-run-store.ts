import { type RepoRef, selectRepoRuns } from '../../src/domain/pipeline/repo-runs.js';
import { Run, type RunRef, runSlug } from '../../src/domain/pipeline/run.js';
import { StateConflictError } from '../../src/errors.js';
import type { RunRecord, RunStore, StoredRun } from '../../src/ports/run-store.js';

/**
 * A `RunStore` in memory for worker tests on the in-memory queue: compare-and-set on the version
 * like the Redis one, records parsed with the `Run` schema on save (a bug must not store garbage),
 * and a lock that runs one callback at a time per run.
 */
export class InMemoryRunStore implements RunStore {
  private readonly records = new Map<string, StoredRun>();
  private readonly locks = new Map<string, Promise<unknown>>();

  async load(ref: RunRef): Promise<StoredRun | null> {
    const found = this.records.get(runSlug(ref));
    return found === undefined ? null : structuredClone(found);
  }

  async save(ref: RunRef, record: RunRecord, expectedVersion: number): Promise<number> {
    const key = runSlug(ref);
    const current = this.records.get(key)?.version ?? 0;
    if (current !== expectedVersion) {
      throw new StateConflictError(`Run ${key} is at version ${current}, not ${expectedVersion}`);
    }
    const version = current + 1;
    this.records.set(key, structuredClone({ ...record, run: Run.parse(record.run), version }));
    return version;
  }

  async withLock<T>(ref: RunRef, fn: () => Promise<T>): Promise<T> {
    const key = runSlug(ref);
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    this.locks.set(key, next);
    return next;
  }

  async findActiveRun(params: { installationId: number; owner: string; repo: string; source: string }) {
    for (const { run } of this.records.values()) {
      const active = run.status.kind !== 'done' && run.status.kind !== 'cancelled';
      const same =
        run.ref.owner === params.owner && run.ref.repo === params.repo && run.source === params.source;
      if (active && same && run.ref.installationId === params.installationId) return run.ref;
    }
    return null;
  }

  async listRuns(repo: RepoRef, options: { recent: number }): Promise<Run[]> {
    const runs = [...this.records.values()].map((stored) => structuredClone(stored.run));
    return selectRepoRuns(runs, repo, options.recent);
  }
}
