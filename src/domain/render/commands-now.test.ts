import { describe, expect, it } from 'vitest';
import { buildGateRun } from '../../../test/helpers/build-run.js';
import type { RunStatus } from '../pipeline/run.js';
import { commandsNow, renderCommandsNow } from './commands-now.js';

describe('commandsNow', () => {
  it.each<[string, RunStatus, string[]]>([
    ['the plan', { kind: 'awaiting_plan_approval' }, ['/approve', '/revise <changes>', '/cancel']],
    ['a running stage', { kind: 'running', stage: 'implement' }, ['/revise <feedback>', '/cancel']],
    [
      'a CI run',
      { kind: 'waiting_for_ci', stage: 'test', mode: 'simulate', runKey: 'k' },
      ['/revise <feedback>', '/cancel'],
    ],
    [
      'a re-check',
      { kind: 'verifying', gate: { kind: 'stage', stage: 'implement' }, headSha: 'abc' },
      ['/revise <feedback>', '/cancel'],
    ],
    [
      'a stage gate',
      { kind: 'awaiting_approval', gate: { kind: 'stage', stage: 'research' }, headSha: null },
      ['/approve', '/revise <feedback>', '/restart <phase>', '/cancel'],
    ],
    [
      'the next-batch gate',
      { kind: 'awaiting_approval', gate: { kind: 'next_batch' }, headSha: null },
      ['/approve', '/add-tables a,b', '/revise <guidance>', '/cancel'],
    ],
    [
      'the credentials gate',
      { kind: 'awaiting_credentials', headSha: null, lastCheck: 'none' },
      ['/approve', '/skip-auth', '/revise <feedback>', '/cancel'],
    ],
    [
      'a pause',
      { kind: 'paused', stage: 'test', budget: 'run', spentUsd: 25, limitUsd: 25 },
      ['/approve', '/revise <feedback>', '/restart <phase>', '/cancel'],
    ],
    [
      'a failure',
      { kind: 'failed', stage: 'test', reason: 'red' },
      ['/retry', '/revise <guidance>', '/restart <phase>', '/cancel'],
    ],
    ['a cancelled run', { kind: 'cancelled', by: 'octocat' }, []],
    [
      'a complete run whose live check was skipped',
      { kind: 'done' },
      ['/approve', '/add-tables a,b', '/restart <phase>'],
    ],
  ])('lists the commands for %s', (_name, status, expected) => {
    expect(commandsNow(buildGateRun({ status }))).toEqual(expected);
  });

  it('lists no /approve for a complete run whose live check passed', () => {
    expect(commandsNow(buildGateRun({ status: { kind: 'done' }, auth: 'verified' }))).toEqual([
      '/add-tables a,b',
      '/restart <phase>',
    ]);
  });
});

describe('renderCommandsNow', () => {
  it('lists the commands on one line and points to /help', () => {
    const line = renderCommandsNow(
      buildGateRun({ status: { kind: 'failed', stage: 'test', reason: 'red' } }),
    );

    expect(line).toMatchInlineSnapshot(
      `"Commands now: \`/retry\` · \`/revise <guidance>\` · \`/restart <phase>\` · \`/cancel\` · \`/help\` lists them all."`,
    );
  });

  it('says that nothing applies to a cancelled run', () => {
    const line = renderCommandsNow(buildGateRun({ status: { kind: 'cancelled', by: 'octocat' } }));

    expect(line).toMatchInlineSnapshot(
      `"No command applies now: the run was cancelled. Open a new issue to start again."`,
    );
  });
});
