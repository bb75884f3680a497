import { describe, expect, it } from 'vitest';
import { buildRun, buildStageRecord, buildUsage } from '../../../test/helpers/build-run.js';
import type { Run } from '../pipeline/run.js';
import { dashboardCoalesceKey, dashboardJobId } from './dashboard-jobs.js';

/** BullMQ's rules for an id (`assertJobId`): no `:`, not all digits. */
const FIT_FOR_BULLMQ = /^(?!\d+$)[^:]{1,500}$/;

function running(spentSoFar: number, updatedAt: string): Run {
  const base = buildRun();
  return buildRun({
    status: { kind: 'running', stage: 'research' },
    batch: {
      ...base.batch,
      stages: {
        ...base.batch.stages,
        research: buildStageRecord({
          state: 'running',
          live: { attempt: 1, usage: buildUsage(spentSoFar) },
        }),
      },
    },
    updatedAt,
  });
}

describe('dashboard job ids', () => {
  it('share one coalesce key per repository of an installation, whatever its run', () => {
    const repo = { installationId: 7, owner: 'acme', repo: 'lakeflow.connectors' };

    expect(dashboardCoalesceKey(repo)).toBe('dashboard-7-acme-lakeflow.connectors');
    expect(dashboardCoalesceKey({ ...repo, installationId: 8 })).not.toBe(dashboardCoalesceKey(repo));
    expect(dashboardCoalesceKey({ ...repo, owner: 'a:b' })).toMatch(FIT_FOR_BULLMQ);
  });

  it("name the same refresh for a running stage's progress reports: they ask for no new one", () => {
    const first = running(0.1, '2026-07-01T10:00:00.000Z');
    const later = running(0.7, '2026-07-01T10:00:30.000Z');

    expect(dashboardJobId(later)).toBe(dashboardJobId(first));
    expect(dashboardJobId(first)).toMatch(/^dashboard-acme-lakeflow-community-connectors-42-[0-9a-z]+$/);
    expect(dashboardJobId(first)).toMatch(FIT_FOR_BULLMQ);
  });

  it('name another refresh for any other change, and the same one for the same run built in another order', () => {
    const run = running(0.1, '2026-07-01T10:00:00.000Z');
    const failed: Run = { ...run, status: { kind: 'failed', stage: 'research', reason: 'no doc' } };
    const charged: Run = { ...run, usage: buildUsage(0.5) };
    const reordered = Object.fromEntries(Object.entries(run).reverse()) as Run;

    expect(new Set([dashboardJobId(run), dashboardJobId(failed), dashboardJobId(charged)]).size).toBe(3);
    expect(dashboardJobId(reordered)).toBe(dashboardJobId(run));
    expect(dashboardJobId({ ...run, ref: { ...run.ref, issue: 43 } })).not.toBe(dashboardJobId(run));
  });
});
