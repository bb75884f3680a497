import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../test/helpers/build-run.js';
import { updateStage } from '../../domain/pipeline/progress.js';
import type { Run } from '../../domain/pipeline/run.js';
import { renderProgress } from './render-progress.js';

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

  it('prints a stage starting, then its commit with its own and the run total tokens and cost', () => {
    const running = updateStage({ ...planned, status: { kind: 'running', stage: 'research' } }, 'research', {
      state: 'running',
      attempt: 1,
    });
    const committed: Run = {
      ...updateStage(running, 'research', {
        state: 'done',
        commitSha: 'abcdef1234'.padEnd(40, '0'),
        usage: USAGE,
      }),
      usage: USAGE,
      status: { kind: 'awaiting_approval', gate: { kind: 'stage', stage: 'research' }, headSha: null },
    };

    expect(renderProgress(planned, running)).toEqual(['▶ research: running (attempt 1)…']);
    expect(renderProgress(running, committed)).toEqual([
      '✓ research: committed abcdef1 · 1,234 tokens · $0.0123 (run: 1,234 tokens · $0.0123)',
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
