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

describe('renderTestTable with JUnit names', () => {
  it('names the module and class they share once, in the header, and lists the tests by name', () => {
    const lines = renderTestTable([
      { name: 'test_acme::TestAcme::test_list_tables', outcome: 'passed', message: null },
      { name: 'test_acme::TestAcme::test_read_terminates', outcome: 'failed', message: 'offset cycles' },
    ]);

    expect(lines).toEqual([
      '| test (`test_acme::TestAcme::…`) | result |',
      '|---|---|',
      '| test_read_terminates | ❌ offset cycles |',
      '| test_list_tables | ✅ |',
    ]);
  });

  it('keeps only the part every name shares: the module when the classes differ', () => {
    const lines = renderTestTable([
      { name: 'test_acme::TestAcme::test_a', outcome: 'passed', message: null },
      { name: 'test_acme::TestAcmePartitions::test_b', outcome: 'passed', message: null },
    ]);

    expect(lines.slice(0, 1).concat(lines.slice(2))).toEqual([
      '| test (`test_acme::…`) | result |',
      '| TestAcme::test_a | ✅ |',
      '| TestAcmePartitions::test_b | ✅ |',
    ]);
  });
});
