import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../test/helpers/build-run.js';
import { updateStage } from '../../domain/pipeline/progress.js';
import type { Run } from '../../domain/pipeline/run.js';
import { describeActivity, renderProgress } from './render-progress.js';

const USAGE = {
  inputTokens: 1_000,
  outputTokens: 234,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0.0123,
};

describe('renderProgress', () => {
  const planned = buildRun();

  it('announces a new run and prints nothing for a state seen again', () => {
    expect(renderProgress(null, planned)).toEqual([
      `Planned acme_crm on branch ${planned.branch} (batch 1).`,
    ]);
    expect(renderProgress(planned, planned)).toEqual([]);
  });

  it('prints a stage starting, then its commit with the time it took, its own and the run total tokens and cost', () => {
    const running = updateStage({ ...planned, status: { kind: 'running', stage: 'research' } }, 'research', {
      state: 'running',
      attempt: 1,
    });
    const committed: Run = {
      ...updateStage(running, 'research', {
        state: 'done',
        commitSha: 'abcdef1234'.padEnd(40, '0'),
        usage: USAGE,
        durationMs: 83_000,
      }),
      usage: USAGE,
      status: { kind: 'awaiting_approval', gate: { kind: 'stage', stage: 'research' }, headSha: null },
    };

    expect(renderProgress(planned, running)).toEqual(['▶ research: running (attempt 1)…']);
    expect(renderProgress(running, committed)).toEqual([
      '✓ research: committed abcdef1 in 1m 23s · 1,234 tokens · $0.0123 (run: 1,234 tokens · $0.0123)',
    ]);
  });

  it('does not print the regenerated merged source as a second commit of the same package attempt', () => {
    const packaged = updateStage(planned, 'package', {
      state: 'done',
      attempt: 1,
      commitSha: 'a'.repeat(40),
      usage: USAGE,
      durationMs: 5_000,
    });
    const regenerated = updateStage(packaged, 'package', { commitSha: 'b'.repeat(40) });
    const retried = updateStage(packaged, 'package', {
      attempt: 2,
      commitSha: 'c'.repeat(40),
      durationMs: 9_000,
    });

    expect(renderProgress(packaged, regenerated)).toEqual([]);
    expect(renderProgress(packaged, retried)).toEqual([
      '✓ package: committed ccccccc in 0m 04s · 1,234 tokens · $0.0123 (run: 0 tokens · $0.0000)',
    ]);
  });

  it('prints a CI result before the next attempt it starts, and a failure with its reason', () => {
    const ci = {
      runKey: 'k1',
      stage: 'test' as const,
      mode: 'simulate' as const,
      batch: 1,
      url: null,
      passed: 0,
      failed: 0,
    };
    const waiting: Run = { ...planned, ciRuns: [{ ...ci, conclusion: 'pending' }] };
    const red: Run = {
      ...updateStage(planned, 'test', { state: 'running', attempt: 2 }),
      ciRuns: [{ ...ci, conclusion: 'failure', passed: 5, failed: 1 }],
    };
    const failed: Run = { ...red, status: { kind: 'failed', stage: 'test', reason: 'Tests still fail.' } };

    expect(renderProgress(planned, waiting)).toEqual(['▶ test & fix: local CI (simulate)…']);
    expect(renderProgress(waiting, red)).toEqual([
      '✗ test & fix: CI simulate failure: 5 passed, 1 failed',
      '▶ test & fix: running (attempt 2)…',
    ]);
    expect(renderProgress(red, failed)).toEqual(['✗ test & fix failed: Tests still fail.']);
  });
});

describe('describeActivity', () => {
  const planned = buildRun();

  it('names the running attempt, with what it spent once the stage reported it, and keeps its key while it runs', () => {
    const running = updateStage(
      { ...planned, status: { kind: 'running', stage: 'implement' } },
      'implement',
      {
        state: 'running',
        attempt: 2,
      },
    );
    const reported = updateStage(running, 'implement', { live: { attempt: 2, usage: USAGE } });

    expect(describeActivity(running)).toEqual({
      key: 'b1-implement-a2',
      text: 'implement: running (attempt 2)',
    });
    expect(describeActivity(reported)).toEqual({
      key: 'b1-implement-a2',
      text: 'implement: running (attempt 2) · $0.01 so far',
    });
  });

  it('names a local CI run by its run key, and nothing at a gate', () => {
    const waiting: Run = {
      ...planned,
      status: { kind: 'waiting_for_ci', stage: 'test', mode: 'simulate', runKey: 'k-simulate' },
    };

    expect(describeActivity(waiting)).toEqual({ key: 'k-simulate', text: 'test & fix: local CI (simulate)' });
    expect(describeActivity(planned)).toBeNull();
  });
});
