import type { TestCase } from '../../../domain/pipeline/run.js';
import { sharedPrefix } from '../../../domain/render/test-table.js';

/** Tests listed before the list is cut. */
const MAX_TESTS = 50;

const MARKS: Readonly<Record<TestCase['outcome'], string>> = {
  failed: '✗ failed ',
  error: '✗ error  ',
  skipped: '- skipped',
  passed: '✓ passed ',
};

/**
 * One line per test of a CI run, failures first with the start of their message, then skips with
 * theirs, then passes; the `module::Class::` every name shares is said once above them.
 */
export function renderTestLines(tests: readonly TestCase[]): string[] {
  const rank = (test: TestCase) => ['failed', 'error', 'skipped', 'passed'].indexOf(test.outcome);
  const ordered = [...tests].sort((a, b) => rank(a) - rank(b));
  const prefix = sharedPrefix(tests.map((test) => test.name));
  const lines = prefix === '' ? [] : [`${prefix}…`];
  for (const test of ordered.slice(0, MAX_TESTS)) {
    const message =
      test.message !== null && test.outcome !== 'passed' ? `: ${oneLine(test.message, 160)}` : '';
    lines.push(`${MARKS[test.outcome]}  ${test.name.slice(prefix.length)}${message}`);
  }
  if (ordered.length > MAX_TESTS) lines.push(`… and ${ordered.length - MAX_TESTS} more`);
  return lines;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
