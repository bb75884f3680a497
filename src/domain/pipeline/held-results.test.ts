import { describe, expect, it } from 'vitest';
import { ciDone, command, drive, NOW, runAtGate, succeeded, types } from '../../../test/helpers/pipeline.js';
import { RUNS_IN_EACH_STATE } from '../../../test/helpers/run-states.js';
import type { RunEvent } from './events.js';
import type { Run } from './run.js';
import type { StageSucceeded } from './stage-result-events.js';
import { transition } from './transition.js';

/** A run waiting for the CI of test attempt 1, as a status comment written then would rebuild it. */
function waitingForFirstTestCi(): Run {
  const build = RUNS_IN_EACH_STATE.waiting_for_ci;
  if (build === undefined) throw new Error('run-states has no waiting_for_ci');
  return build();
}

function asSucceeded(event: RunEvent): StageSucceeded {
  if (event.type !== 'stage_succeeded') throw new Error(`expected a stage_succeeded, got ${event.type}`);
  return event;
}

/** The result the next test attempt's job reports, as if the run had already asked for it. */
function nextTestResult(run: Run): StageSucceeded {
  const { run: retrying } = drive(run, (current) => ciDone(current, 'failure'));
  return { ...asSucceeded(succeeded(retrying)), id: 'acme-connectors-42-b1-test-a2-result' };
}

describe('a stage result ahead of its run (the run was rebuilt behind its job)', () => {
  it('is kept, uncharged, and changes nothing the run shows', () => {
    const run = waitingForFirstTestCi();
    const result = nextTestResult(run);

    const outcome = transition(run, result, NOW);

    expect(outcome.run.status).toEqual(run.status);
    expect(outcome.run.usage).toEqual(run.usage);
    expect(outcome.run.heldResults).toEqual([result]);
    expect(types(outcome.effects)).not.toContain('enqueue_stage');
  });

  it('is applied when the run asks for that attempt, instead of queueing a job that already ran', () => {
    const run = waitingForFirstTestCi();
    const result = nextTestResult(run);
    const held = transition(run, result, NOW).run;

    const { run: after, effects } = drive(held, (current) => ciDone(current, 'failure'));

    expect(types(effects)).not.toContain('enqueue_stage');
    expect(after.status).toMatchObject({ kind: 'waiting_for_ci', stage: 'test' });
    expect(after.batch.stages.test).toMatchObject({
      attempt: 2,
      state: 'done',
      commitSha: 'test2'.padEnd(40, '0'),
    });
    expect(after.usage.costUsd).toBeCloseTo(held.usage.costUsd + result.usage.costUsd, 6);
    expect(after.heldResults ?? []).toEqual([]);
  });

  it('is charged and dropped once the run ends without asking for it', () => {
    const run = waitingForFirstTestCi();
    const result = nextTestResult(run);
    const held = transition(run, result, NOW).run;

    const { run: after } = drive(held, (current) => ciDone(current, 'success'), command({ type: 'cancel' }));

    expect(after.heldResults ?? []).toEqual([]);
    expect(after.usage.costUsd).toBeCloseTo(held.usage.costUsd + result.usage.costUsd, 6);
  });

  it('is never kept when the run already went past its attempt: its spend is charged', () => {
    const run = waitingForFirstTestCi();
    const research = { ...nextTestResult(run), stage: 'research' as const, attempt: 1 };

    const outcome = transition(run, research, NOW);

    expect(outcome.run.heldResults ?? []).toEqual([]);
    expect(outcome.run.usage.costUsd).toBeCloseTo(run.usage.costUsd + research.usage.costUsd, 6);
  });

  it('is never kept by a run that ended: its spend is charged as any stale result', () => {
    const run = drive(runAtGate('implement'), command({ type: 'cancel' })).run;
    const result: StageSucceeded = {
      ...asSucceeded(succeeded(drive(runAtGate('implement'), command({ type: 'approve' })).run)),
      attempt: 5,
    };

    const outcome = transition(run, result, NOW);

    expect(outcome.run.heldResults ?? []).toEqual([]);
    expect(outcome.run.usage.costUsd).toBeCloseTo(run.usage.costUsd + result.usage.costUsd, 6);
  });
});
