import type { RepoRef } from '../pipeline/repo-runs.js';
import { type Run, runSlug } from '../pipeline/run.js';

const UNSAFE = /[^A-Za-z0-9._-]/g;

/**
 * The coalesce key of a repository's dashboard jobs, `dashboard-<installation>-<owner>-<repo>`:
 * one refresh per repository waits at most, and two never run at once (`EnqueueEventOptions`).
 */
export function dashboardCoalesceKey(repo: RepoRef): string {
  return `dashboard-${repo.installationId}-${repo.owner}-${repo.repo}`.replace(UNSAFE, '_');
}

/**
 * The id of the dashboard refresh a run's change asks for, `dashboard-<owner>-<repo>-<issue>-<update>`:
 * one per saved change (its `updatedAt`), so the same change asked for again (a replayed effect)
 * adds nothing. No `:`, never all digits.
 */
export function dashboardJobId(run: Pick<Run, 'ref' | 'updatedAt'>): string {
  const updated = Date.parse(run.updatedAt);
  const stamp = Number.isNaN(updated) ? run.updatedAt.replace(UNSAFE, '_').slice(0, 40) : String(updated);
  return `dashboard-${runSlug(run.ref)}-${stamp}`;
}
