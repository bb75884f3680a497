import { describe, expect, it } from 'vitest';
import { approve, drive, runAtGate, succeeded } from '../../../test/helpers/pipeline.js';
import { ciRunMismatch, expectedCiRun } from './ci-run-match.js';

const KEY = 'acme-connectors-42-b1-test-a2-simulate';
const EXPECTED = { runKey: KEY, branch: 'lakeflow-connector/acme_crm', headSha: 'a'.repeat(40) };
const OBSERVED = {
  runKey: KEY,
  headBranch: EXPECTED.branch,
  headSha: EXPECTED.headSha,
  event: 'workflow_dispatch',
};

describe('ciRunMismatch', () => {
  it('accepts the run dispatched on the branch and head the run waits for', () => {
    expect(ciRunMismatch(EXPECTED, OBSERVED)).toBeNull();
  });

  it.each([
    ['run key', { runKey: `${KEY}x` }, /^run key /],
    ['event', { event: 'pull_request' }, /^event pull_request, not workflow_dispatch$/],
    ['missing event', { event: null }, /^event unknown/],
    ['branch', { headBranch: 'main' }, /^branch main, not lakeflow-connector\/acme_crm$/],
    ['head', { headSha: 'b'.repeat(40) }, /^head bbbbbbbbbbbb, not aaaaaaaaaaaa$/],
    ['missing head', { headSha: null }, /^head unknown/],
  ])('refuses another %s', (_what, patch, reason) => {
    expect(ciRunMismatch(EXPECTED, { ...OBSERVED, ...patch })).toMatch(reason);
  });

  it('refuses everything when the run knows no head', () => {
    expect(ciRunMismatch({ ...EXPECTED, headSha: null }, OBSERVED)).toMatch(/no head commit/);
  });
});

describe('expectedCiRun', () => {
  it('is the branch and the head the stage committed, for a run waiting for CI', () => {
    const atTest = drive(runAtGate('implement'), approve());
    const stage = succeeded(atTest.run);
    const waiting = drive(atTest.run, stage).run;

    expect(expectedCiRun(waiting)).toEqual({
      runKey: waiting.status.kind === 'waiting_for_ci' ? waiting.status.runKey : '',
      branch: waiting.branch,
      headSha: stage.type === 'stage_succeeded' ? stage.commitSha : '',
    });
  });

  it('is null for a run waiting for no CI run', () => {
    expect(expectedCiRun(runAtGate('implement'))).toBeNull();
  });
});
