import { describe, expect, it } from 'vitest';
import { buildLogExcerpt, MAX_EXCERPT_CHARS } from './build-log-excerpt.js';

function lines(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `${prefix} line ${i}`).join('\n');
}

describe('buildLogExcerpt', () => {
  it('puts the failed gate last, under a heading naming its outcome', () => {
    const logs = new Map([
      ['pytest', '1 failed, 3 passed\nE   AssertionError: offset never settles'],
      ['pylint', 'Your code has been rated at 10.00/10'],
    ]);

    const excerpt = buildLogExcerpt(logs, { pytest: 'failed', pylint: 'passed' });

    expect(excerpt).toBe(
      [
        '==> pylint (passed) <==',
        'Your code has been rated at 10.00/10',
        '',
        '==> pytest (failed) <==',
        '1 failed, 3 passed',
        'E   AssertionError: offset never settles',
      ].join('\n'),
    );
  });

  it('gives failed gates the space first and keeps the end of each log', () => {
    const logs = new Map([
      ['auth_test', lines('auth', 2_000)],
      ['pytest', `${lines('pytest', 2_000)}\nE   the failure at the end`],
      ['wheel', lines('wheel', 2_000)],
    ]);

    const excerpt = buildLogExcerpt(logs, { auth_test: 'passed', pytest: 'failed', wheel: 'passed' });

    expect(excerpt.length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
    expect(excerpt).toMatch(
      /==> pytest \(failed\) <==\n…\npytest line \d+\n[\s\S]*E {3}the failure at the end$/,
    );
    expect(excerpt).not.toContain('auth line');
    expect(excerpt).not.toContain('wheel line');
  });

  it('shares the space between several failed gates', () => {
    const logs = new Map([
      ['pytest', lines('pytest', 3_000)],
      ['pylint', lines('pylint', 3_000)],
      ['merged_source', lines('merged', 3_000)],
    ]);

    const excerpt = buildLogExcerpt(logs, { pytest: 'failed', pylint: 'failed', merged_source: 'failed' });

    expect(excerpt.length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
    expect(excerpt).toContain('pytest line 2999');
    expect(excerpt).toContain('pylint line 2999');
    expect(excerpt).toContain('merged line 2999');
  });

  it('includes logs of gates the summary does not name, and strips colour codes and progress lines', () => {
    const logs = new Map([
      ['setup', '\u001b[31mERROR\u001b[0m pip failed\r\ndownloading 10%\rdownloading 100%'],
    ]);

    const excerpt = buildLogExcerpt(logs, {});

    expect(excerpt).toBe('==> setup (unknown) <==\nERROR pip failed\ndownloading 100%');
  });

  it('is empty when there are no logs, or only empty ones', () => {
    expect(buildLogExcerpt(new Map(), { pytest: 'passed' })).toBe('');
    expect(buildLogExcerpt(new Map([['pytest', '  \n ']]), { pytest: 'passed' })).toBe('');
  });
});
