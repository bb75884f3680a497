import type { TestCase } from '../pipeline/run.js';
import { escapeCell } from './format.js';

/** Rows shown before the table is cut; a comment must stay well under GitHub's size limit. */
const MAX_ROWS = 50;

const RESULT_ICONS: Readonly<Record<TestCase['outcome'], string>> = {
  passed: '✅',
  failed: '❌',
  error: '⚠️',
  skipped: '⏭️',
};

/**
 * The `| test | result |` table of a CI run, failures first (with the start of their message), cut
 * after 50 rows; test names and messages come from JUnit XML and are escaped.
 */
export function renderTestTable(tests: readonly TestCase[]): string[] {
  const failing = tests.filter((test) => test.outcome === 'failed' || test.outcome === 'error');
  const others = tests.filter((test) => test.outcome !== 'failed' && test.outcome !== 'error');
  const ordered = [...failing, ...others];
  const prefix = sharedPrefix(tests.map((test) => test.name));
  const lines = [
    prefix === '' ? '| test | result |' : `| test (\`${escapeCell(prefix)}…\`) | result |`,
    '|---|---|',
  ];
  for (const test of ordered.slice(0, MAX_ROWS)) {
    const message =
      test.message !== null && test.outcome !== 'passed' ? ` ${escapeCell(test.message, 120)}` : '';
    lines.push(`| ${escapeCell(test.name.slice(prefix.length))} | ${RESULT_ICONS[test.outcome]}${message} |`);
  }
  if (ordered.length > MAX_ROWS) lines.push(`| … and ${ordered.length - MAX_ROWS} more | |`);
  return lines;
}

/**
 * The `module::Class::` every name shares (JUnit names carry it), so a list shows test names;
 * empty when the names differ there or when only one test is listed.
 */
export function sharedPrefix(names: readonly string[]): string {
  const [first, ...rest] = names;
  if (first === undefined || rest.length === 0) return '';
  const end = first.lastIndexOf('::');
  let prefix = end === -1 ? '' : first.slice(0, end + 2);
  for (const name of rest) {
    while (prefix !== '' && !name.startsWith(prefix)) {
      const cut = prefix.slice(0, -2).lastIndexOf('::');
      prefix = cut === -1 ? '' : prefix.slice(0, cut + 2);
    }
  }
  return prefix;
}

/** `14 passed, 0 failed`, adding errors and skips when there are any. */
export function renderTestTotals(tests: readonly TestCase[]): string {
  const count = (outcome: TestCase['outcome']): number =>
    tests.filter((test) => test.outcome === outcome).length;
  const parts = [`${count('passed')} passed`, `${count('failed')} failed`];
  const errors = count('error');
  if (errors > 0) parts.push(`${errors} ${errors === 1 ? 'error' : 'errors'}`);
  if (count('skipped') > 0) parts.push(`${count('skipped')} skipped`);
  return parts.join(', ');
}
