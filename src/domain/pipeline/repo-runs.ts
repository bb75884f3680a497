import type { Run, RunRef } from './run.js';

/** One repository of one installation: what its runs' refs share. */
export type RepoRef = Pick<RunRef, 'installationId' | 'owner' | 'repo'>;

/** True while a run may still change on its own or by a command: neither done nor cancelled. */
export function isActiveRun(run: Run): boolean {
  return run.status.kind !== 'done' && run.status.kind !== 'cancelled';
}

/** True when `ref` belongs to `repo`. */
export function isInRepo(ref: RunRef, repo: RepoRef): boolean {
  return ref.installationId === repo.installationId && ref.owner === repo.owner && ref.repo === repo.repo;
}

/**
 * What `RunStore.listRuns` answers, for stores that hold every run at hand (a file per run, a map):
 * the runs of `repo` that are active, and its `recent` most recently updated ones, each once.
 */
export function selectRepoRuns(runs: Iterable<Run>, repo: RepoRef, recent: number): Run[] {
  const own = [...runs].filter((run) => isInRepo(run.ref, repo));
  const newest = [...own].sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
  const kept = new Set(newest.slice(0, Math.max(0, recent)));
  return own.filter((run) => kept.has(run) || isActiveRun(run));
}
