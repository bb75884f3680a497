import type { Effect } from '../domain/pipeline/effects.js';
import type { RepoRef } from '../domain/pipeline/repo-runs.js';
import type { Run, RunRef } from '../domain/pipeline/run.js';

/** Effects decided by one event, saved with the run before they are carried out (an outbox). */
export interface Outbox {
  /** The event that produced them. */
  eventId: string;
  effects: Effect[];
}

/** A run as stored, with its optimistic-concurrency version. */
export interface StoredRun {
  run: Run;
  /** Incremented by every save; a save names the version it read. */
  version: number;
  /** Effects not yet confirmed as carried out; replayed by the next worker that loads the run. */
  outbox: Outbox | null;
  /** Ids of the latest events applied, newest last, so a redelivered event is not applied twice. */
  appliedEventIds: string[];
}

/** The new content of a stored run. */
export type RunRecord = Omit<StoredRun, 'version'>;

/**
 * Where runs live (Redis in production). The events worker is its only writer.
 *
 * Invariants: `save` is compare-and-set on `expectedVersion` (0 creates) and throws
 * `StateConflictError` (retryable) when someone else saved first; keys are namespaced by
 * installation, repository and issue; at most one active run per source per repository.
 */
export interface RunStore {
  /** The stored run, or `null` if none exists. Throws `InvariantError` for a record that does not parse. */
  load(ref: RunRef): Promise<StoredRun | null>;
  /** Saves `record` if the stored version is still `expectedVersion`; returns the new version. */
  save(ref: RunRef, record: RunRecord, expectedVersion: number): Promise<number>;
  /**
   * Runs `fn` while holding the run's lock, so events of one run are applied one at a time.
   * Throws `StateConflictError` when the lock cannot be had within the wait time.
   */
  withLock<T>(ref: RunRef, fn: () => Promise<T>): Promise<T>;
  /** The issue of the active (not done, failed-and-cancelled) run building `source` in this repository, if any. */
  findActiveRun(params: {
    installationId: number;
    owner: string;
    repo: string;
    source: string;
  }): Promise<RunRef | null>;
  /**
   * The runs of one repository, as its dashboard issue lists them: every active run (neither done
   * nor cancelled) and the `recent` most recently updated ones, each once, in no set order. A
   * record that does not parse is left out, so one bad record never hides the others.
   */
  listRuns(repo: RepoRef, options: { recent: number }): Promise<Run[]>;
}
