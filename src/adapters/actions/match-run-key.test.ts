import { describe, expect, it } from 'vitest';
import { isRunOfKey } from './match-run-key.js';

const KEY = 'acme-connectors-1-b1-test-a1-simulate';

describe('isRunOfKey', () => {
  it.each([
    [`Lakeflow connector tests example_crm ${KEY}`, true],
    [KEY, true],
    [`tests: ${KEY}  `, true],
    [`tests (${KEY}`, true],
    [`tests acme-connectors-1-b1-test-a11-simulate`, false],
    [`tests xacme-connectors-1-b1-test-a1-simulate`, false],
    [`tests acme-connectors-11-b1-test-a1-simulate`, false],
    [`tests ${KEY} (rerun)`, false],
    ['', false],
    [null, false],
  ])('%j → %s', (title, expected) => {
    expect(isRunOfKey(title, KEY)).toBe(expected);
  });

  it('never matches an empty key', () => {
    expect(isRunOfKey('anything', '')).toBe(false);
  });
});
