import { describe, expect, it } from 'vitest';
import { buildGateRun } from '../../../test/helpers/build-run.js';
import {
  branchUrl,
  code,
  escapeCell,
  formatCiRuns,
  formatDuration,
  formatTokens,
  formatTokenUse,
  formatUsd,
  renderBatchLabel,
} from './format.js';

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [2.1, '$2.10'],
    [11.404, '$11.40'],
    [0.005, '$0.01'],
  ])('formats %d as %s', (usd, expected) => {
    expect(formatUsd(usd)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0m 00s'],
    [45_400, '0m 45s'],
    [190_000, '3m 10s'],
    [362_000, '6m 02s'],
    [3_599_000, '59m 59s'],
    [3_900_000, '1h 05m'],
  ])('formats %d ms as %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('formatTokens', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1_000, '1k'],
    [38_400, '38k'],
    [412_000, '412k'],
    [999_499, '999k'],
    [999_600, '1M'],
    [1_230_000, '1.2M'],
    [12_000_000, '12M'],
  ])('formats %d as %s', (count, expected) => {
    expect(formatTokens(count)).toBe(expected);
  });
});

describe('formatTokenUse', () => {
  it('sums input with cache reads and writes and gives the cached share', () => {
    const usage = {
      inputTokens: 62_000,
      cacheReadTokens: 333_720,
      cacheWriteTokens: 16_280,
      outputTokens: 38_000,
      costUsd: 1,
    };

    expect(formatTokenUse(usage)).toBe('412k input tokens (81% from cache) · 38k output');
  });

  it('is null before any token is used', () => {
    const usage = { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, costUsd: 0 };

    expect(formatTokenUse(usage)).toBeNull();
  });
});

describe('escapeCell', () => {
  it('flattens, escapes and cuts text for a table cell', () => {
    expect(escapeCell('a | b\n<c>', 200)).toBe('a \\| b &lt;c&gt;');
    expect(escapeCell('x'.repeat(10), 5)).toBe('xxxx…');
  });
});

describe('code', () => {
  it('keeps a backtick or a line break from ending the code span', () => {
    expect(code('a`b\n\nc')).toBe("`a'b c`");
  });
});

describe('branchUrl', () => {
  it('keeps the slashes of a branch name and encodes the rest', () => {
    expect(branchUrl('https://github.com/o/r', 'lakeflow-connector/a#b')).toBe(
      'https://github.com/o/r/tree/lakeflow-connector/a%23b',
    );
  });
});

describe('formatCiRuns', () => {
  it('links runs by their Actions id, and names runs without a URL by position', () => {
    const base = { stage: 'test' as const, mode: 'simulate' as const, batch: 1, passed: 0, failed: 0 };

    const text = formatCiRuns([
      { ...base, runKey: 'a', url: 'https://github.com/o/r/actions/runs/901', conclusion: 'failure' },
      { ...base, runKey: 'b', url: 'https://ci.example/job', conclusion: 'timed_out' },
      { ...base, runKey: 'c', url: null, conclusion: 'pending' },
    ]);

    expect(text).toBe(
      '[#901](https://github.com/o/r/actions/runs/901) red, [run 2](https://ci.example/job) timed out, run 3 running',
    );
  });
});

describe('renderBatchLabel', () => {
  it.each([
    [[], 'batch 1'],
    [['a'], 'batch 1 of 2'],
    [['a', 'b', 'c', 'd', 'e', 'f'], 'batch 1 of 3'],
  ])('estimates the batches from deferred tables %j: %s', (deferredTables, expected) => {
    expect(renderBatchLabel(buildGateRun({ deferredTables }))).toBe(expected);
  });
});
