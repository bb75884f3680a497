import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../test/helpers/build-run.js';
import { dashboardCoalesceKey, dashboardJobId } from './dashboard-jobs.js';

/** BullMQ's rules for an id (`assertJobId`): no `:`, not all digits. */
const FIT_FOR_BULLMQ = /^(?!\d+$)[^:]{1,500}$/;

describe('dashboard job ids', () => {
  it('share one coalesce key per repository of an installation, whatever its run', () => {
    const repo = { installationId: 7, owner: 'acme', repo: 'lakeflow.connectors' };

    expect(dashboardCoalesceKey(repo)).toBe('dashboard-7-acme-lakeflow.connectors');
    expect(dashboardCoalesceKey({ ...repo, installationId: 8 })).not.toBe(dashboardCoalesceKey(repo));
    expect(dashboardCoalesceKey({ ...repo, owner: 'a:b' })).toMatch(FIT_FOR_BULLMQ);
  });

  it('name one job per saved change of a run, so a replayed request adds nothing', () => {
    const run = buildRun({ updatedAt: '2026-07-01T10:00:00.000Z' });
    const later = { ...run, updatedAt: '2026-07-01T10:00:00.001Z' };

    expect(dashboardJobId(run)).toBe(
      `dashboard-acme-lakeflow-community-connectors-42-${Date.parse(run.updatedAt)}`,
    );
    expect(dashboardJobId(later)).not.toBe(dashboardJobId(run));
    expect(dashboardJobId({ ...run, updatedAt: '10:00 yesterday' })).toMatch(FIT_FOR_BULLMQ);
  });
});
