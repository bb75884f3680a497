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
 * The id of the dashboard refresh a run's saved change asks for, `dashboard-<owner>-<repo>-<issue>-<state>`,
 * where `<state>` is a hash of the run without what a running stage's progress changes (its spend so
 * far, the update time). A progress report every 30 s thus asks for the refresh its stage's start
 * already asked for: that job exists (waiting, or finished and kept), so it adds nothing and the
 * dashboard is not read or written for it; the next real change shows the spend. The same change
 * asked for again (a replayed effect) adds nothing either. No `:`, never all digits.
 */
export function dashboardJobId(run: Run): string {
  return `dashboard-${runSlug(run.ref)}-${hash53(stableJson(withoutProgress(run)))}`;
}

function withoutProgress(run: Run): unknown {
  const { updatedAt: _updatedAt, batch, ...rest } = run;
  const stages = Object.fromEntries(
    Object.entries(batch.stages).map(([stage, { live: _live, ...record }]) => [stage, record]),
  );
  return { ...rest, batch: { ...batch, stages } };
}

/** JSON with object keys sorted, so two equal runs built in another order hash the same. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, each]) => each !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, each]) => `${JSON.stringify(key)}:${stableJson(each)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** cyrb53: a 53-bit string hash, in base 36 (a collision costs one missed refresh, until the next change). */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ char, 2654435761);
    h2 = Math.imul(h2 ^ char, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
