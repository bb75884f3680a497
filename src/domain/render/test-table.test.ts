import { describe, expect, it } from 'vitest';
import type { TestCase } from '../pipeline/run.js';
import { renderTestTable, renderTestTotals } from './test-table.js';

describe('renderTestTable', () => {
  it('puts failures first and cuts a long table after 50 rows', () => {
    const tests: TestCase[] = Array.from({ length: 60 }, (_, index) => ({
      name: `test_${index}`,
      outcome: index === 55 ? 'failed' : 'passed',
      message: index === 55 ? 'boom' : null,
    }));

    const lines = renderTestTable(tests);

    expect(lines).toHaveLength(2 + 50 + 1);
    expect(lines[2]).toBe('| test_55 | ❌ boom |');
    expect(lines.at(-1)).toBe('| … and 10 more | |');
  });
});

describe('renderTestTotals', () => {
  it('counts errors and skips only when there are any', () => {
    const tests: TestCase[] = [
      { name: 'a', outcome: 'passed', message: null },
      { name: 'b', outcome: 'error', message: null },
      { name: 'c', outcome: 'error', message: null },
      { name: 'd', outcome: 'skipped', message: null },
    ];

    expect(renderTestTotals(tests)).toBe('1 passed, 0 failed, 2 errors, 1 skipped');
    expect(renderTestTotals([])).toBe('0 passed, 0 failed');
  });
});
