import { describe, expect, it } from 'vitest';
import { approve, command, drive, failed, NOW, newRun, succeeded } from '../../../test/helpers/pipeline.js';
import { RUNS_IN_EACH_STATE } from '../../../test/helpers/run-states.js';
import { buildStageFacts, type RunEvent } from './events.js';
import { transition } from './transition.js';

/** Events that belong to no job the run waits for. */
const STATES = pick(RUNS_IN_EACH_STATE, [
  'plan',
  'running',
  'gate',
  'credentials',
  'paused',
  'failed',
  'cancelled',
]);

function pick<T>(all: Record<string, T>, keys: string[]): Record<string, T> {
  return Object.fromEntries(keys.map((key) => [key, all[key] as T]));
}

const USAGE = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 };
const STRAY_EVENTS: Record<string, RunEvent> = {
  'a stage result for another attempt': {
    type: 'stage_succeeded',
    id: 'stray-1',
    stage: 'research',
    batch: 1,
    attempt: 9,
    usage: USAGE,
    durationMs: 1,
    commitSha: 'a'.repeat(40),
    facts: buildStageFacts(),
  },
  'a failure for another stage': {
    type: 'stage_failed',
    id: 'stray-2',
    stage: 'package',
    batch: 1,
    attempt: 1,
    usage: USAGE,
    durationMs: 1,
    reason: 'x',
  },
  'a budget stop for another batch': {
    type: 'budget_exceeded',
    id: 'stray-3',
    stage: 'research',
    batch: 3,
    attempt: 1,
    usage: USAGE,
    durationMs: 1,
    budget: 'run',
    limitUsd: 1,
  },
  'a CI result nobody waits for': {
    type: 'ci_completed',
    id: 'stray-4',
    runKey: 'someone-else-b1-test-a1-simulate',
    conclusion: 'success',
    url: null,
    tests: [],
    logExcerpt: '',
    problem: null,
  },
  'a verification nobody asked for': {
    type: 'verification_completed',
    id: 'stray-5',
    headSha: 'b'.repeat(40),
    ok: true,
    message: null,
  },
  'a self-review of a head the run never had': {
    type: 'self_review_completed',
    id: 'stray-6',
    batch: 1,
    headSha: 'c'.repeat(40),
    usage: { ...USAGE, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    review: { status: 'failed', reason: 'x' },
  },
};

const CASES = Object.keys(STATES).flatMap((state) =>
  Object.keys(STRAY_EVENTS).map((event) => ({ state, event })),
);

describe('transition', () => {
  describe('when an event belongs to no job the run waits for', () => {
    it.each(CASES)(
      '$state ignores $event and logs it (a stage result: kept or charged)',
      ({ state, event }) => {
        const run = STATES[state]?.();
        const stray = STRAY_EVENTS[event];
        if (!run || !stray) throw new Error('table is incomplete');

        const outcome = transition(run, stray, NOW);

        if (
          stray.type !== 'stage_succeeded' &&
          stray.type !== 'stage_failed' &&
          stray.type !== 'budget_exceeded'
        ) {
          expect(outcome.run).toBe(run);
          expect(outcome.effects).toEqual([expect.objectContaining({ type: 'log', level: 'warn' })]);
          return;
        }
        expect(outcome.run.status).toEqual(run.status);
        expect(outcome.run.batch.number).toBe(run.batch.number);
        if (state === 'cancelled') {
          // The job spent it on a run that ended: the run is charged, nothing else moves.
          expect(outcome.run.usage.costUsd).toBeCloseTo(run.usage.costUsd + stray.usage.costUsd, 6);
          expect(outcome.effects).toEqual([
            expect.objectContaining({ type: 'log', level: 'warn' }),
            expect.objectContaining({ type: 'sync_status' }),
          ]);
          return;
        }
        // An attempt the run has not asked for yet: kept for when it does, charged then.
        expect(outcome.run.usage).toEqual(run.usage);
        expect(outcome.run.heldResults).toEqual([stray]);
        expect(outcome.effects).toEqual([
          expect.objectContaining({ type: 'log', level: 'info' }),
          expect.objectContaining({ type: 'sync_status' }),
        ]);
      },
    );
  });

  describe('when a stage job reports that it stopped because its run did not want it', () => {
    const stopped = (run: ReturnType<typeof newRun>): RunEvent => {
      const event = failed(run, 'The research job was stopped because its run no longer wants it.');
      if (event.type !== 'stage_failed') throw new Error('failed() builds a stage_failed event');
      return { ...event, id: 'acme-connectors-42-b1-research-a1-stopped', stopped: true };
    };

    it('never fails the attempt the run is running again (rebuilt behind the job): it queues its job again', () => {
      const { run } = drive(newRun(), approve());

      const outcome = transition(run, stopped(run), NOW);

      expect(outcome.run).toBe(run);
      expect(outcome.effects).toEqual([
        {
          type: 'enqueue_stage',
          job: expect.objectContaining({ jobId: 'acme-connectors-42-b1-research-a1' }),
        },
        expect.objectContaining({ type: 'log', level: 'info' }),
      ]);
    });

    it('charges its spend to a run that moved on, as any stale result', () => {
      const { run } = drive(newRun(), approve());
      const event = stopped(run);
      const { run: cancelled } = drive(run, command({ type: 'cancel' }));

      const outcome = transition(cancelled, event, NOW);

      expect(outcome.run.status).toEqual(cancelled.status);
      expect(outcome.run.usage.costUsd).toBeGreaterThan(cancelled.usage.costUsd);
    });
  });

  describe('when the PR is linked', () => {
    it('records the PR number once', () => {
      const run = drive(newRun(), approve()).run;
      const linked = { type: 'pull_request_linked' as const, id: 'pr-1', number: 57 };

      const first = transition(run, linked, NOW);
      const again = transition(first.run, linked, NOW);

      expect(first.run.pullRequest).toBe(57);
      expect(first.effects).toEqual([expect.objectContaining({ type: 'sync_status' })]);
      expect(again.run).toBe(first.run);
      expect(again.effects).toEqual([]);
    });
  });

  describe('the PR body in the status sync', () => {
    const withPr = () =>
      transition(
        drive(newRun(), approve()).run,
        { type: 'pull_request_linked', id: 'pr-1', number: 57 },
        NOW,
      );

    it('is edited when a phase settles (its checklist line changes) and when the PR number is learnt', () => {
      const linked = withPr();
      expect(linked.effects.at(-1)).toEqual({ type: 'sync_status' });
      const settled = transition(linked.run, succeeded(linked.run), NOW);
      expect(settled.effects.at(-1)).toEqual({ type: 'sync_status' });
    });

    it('is left alone when only what the status comment shows changed (a running phase’s spend)', () => {
      const { run } = withPr();
      const progress: RunEvent = {
        type: 'stage_progress',
        id: 'spend-1',
        stage: 'research',
        batch: 1,
        attempt: 1,
        spentSoFar: {
          inputTokens: 10,
          outputTokens: 1,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          costUsd: 0.2,
        },
      };
      const outcome = transition(run, progress, NOW);
      expect(outcome.run).not.toBe(run);
      expect(outcome.effects.at(-1)).toEqual({ type: 'sync_status', pullRequestBodyUnchanged: true });
    });
  });

  describe('when the run changes', () => {
    it('stamps the time and ends with a status sync', () => {
      const outcome = transition(newRun(), approve(), '2026-11-26T08:00:00.000Z');

      expect(outcome.run.updatedAt).toBe('2026-11-26T08:00:00.000Z');
      expect(outcome.effects.at(-1)).toEqual(expect.objectContaining({ type: 'sync_status' }));
    });
  });
});
