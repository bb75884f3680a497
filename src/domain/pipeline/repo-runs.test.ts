import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../test/helpers/build-run.js';
import { isActiveRun, selectRepoRuns } from './repo-runs.js';
import type { Run } from './run.js';

const REPO = { installationId: 1, owner: 'acme', repo: 'lakeflow-community-connectors' };

function runOf(
  issue: number,
  minute: number,
  status: Run['status'] = { kind: 'awaiting_plan_approval' },
): Run {
  const base = buildRun();
  return buildRun({
    ref: { ...base.ref, issue },
    status,
    updatedAt: `2026-07-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
  });
}

describe('selectRepoRuns', () => {
  it('keeps the active runs and the most recently updated others of the repository', () => {
    const runs = [
      runOf(1, 1, { kind: 'done' }),
      runOf(2, 5, { kind: 'cancelled', by: 'maintainer' }),
      runOf(3, 2),
      runOf(4, 4, { kind: 'done' }),
      buildRun({ ref: { ...REPO, repo: 'elsewhere', issue: 5 }, updatedAt: '2026-07-01T11:00:00.000Z' }),
    ];

    const issues = (recent: number) => selectRepoRuns(runs, REPO, recent).map((run) => run.ref.issue);

    expect(issues(2)).toEqual([2, 3, 4]);
    expect(issues(0)).toEqual([3]);
    expect(issues(10)).toEqual([1, 2, 3, 4]);
  });

  it('counts a failed run as active: it can still be retried', () => {
    expect(isActiveRun(runOf(1, 1, { kind: 'failed', stage: 'test', reason: 'red' }))).toBe(true);
    expect(isActiveRun(runOf(1, 1, { kind: 'done' }))).toBe(false);
  });
});
