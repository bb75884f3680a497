import { describe, expect, it } from 'vitest';
import {
  approve,
  ciDone,
  drive,
  NOW,
  newRun,
  runAtGate,
  succeeded,
  types,
} from '../../../test/helpers/pipeline.js';
import { buildSelfReview } from '../review/build-self-review.js';
import { CHECK_IDS } from '../review/rubric.js';
import type { CheckOutcome, SelfReviewOutcome } from '../review/schema.js';
import type { Effect } from './effects.js';
import type { RunEvent } from './events.js';
import { headOf } from './progress.js';
import { NO_USAGE, type Run } from './run.js';
import type { RunSettings } from './settings.js';
import { transition } from './transition.js';

const LABEL = 'connector-self-reviewed';
const linked: RunEvent = { type: 'pull_request_linked', id: 'pr-57', number: 57 };

/** A run whose batch was just packaged (CI green), on PR #57. */
function packaged(options: { deferred?: string[]; settings?: Partial<RunSettings> } = {}) {
  const start = runAtGate(
    'docs_spec',
    newRun({ tables: ['contacts'], settings: options.settings ?? {} }),
    options.deferred ?? [],
  );
  return drive(
    start,
    linked,
    approve(),
    (r) => succeeded(r),
    (r) => ciDone(r, 'success'),
  );
}

function review(outcomes: Readonly<Record<string, string | undefined>> = {}): SelfReviewOutcome {
  const model = CHECK_IDS.map((id) => {
    const result = (outcomes[id] ?? 'pass') as CheckOutcome;
    return { id, result, finding: `${id} ${result}`, citation: result === 'pass' ? null : 'a.py:1' };
  });
  return buildSelfReview({ model, bot: [], recommendations: [] });
}

function reviewed(
  run: Run,
  outcome: SelfReviewOutcome,
  headSha = headOf(run) ?? '',
): Extract<RunEvent, { type: 'self_review_completed' }> {
  return {
    type: 'self_review_completed',
    id: `review-${headSha.slice(0, 6)}`,
    batch: 1,
    headSha,
    usage: NO_USAGE,
    review: outcome,
  };
}

function labels(effects: Effect[]) {
  return effects.filter((effect) => effect.type === 'set_labels');
}

describe('transition: self-review', () => {
  describe('when a batch is packaged', () => {
    it('queues the self-review of the packaged head beside finishing the run', () => {
      const { run, effects } = packaged();
      const head = run.batch.stages.package.commitSha ?? '';

      expect(run.status).toEqual({ kind: 'done' });
      expect(effects.find((effect) => effect.type === 'enqueue_self_review')).toEqual({
        type: 'enqueue_self_review',
        job: expect.objectContaining({
          jobId: `acme-connectors-42-b1-self-review-${head.slice(0, 12)}`,
          headSha: head,
          batch: 1,
          tables: ['contacts'],
          branch: 'lakeflow-connector/acme_crm',
        }),
      });
    });

    it('queues it too when the run goes on to the next batch gate', () => {
      const { run, effects } = packaged({ deferred: ['invoices'] });

      expect(run.status).toMatchObject({ kind: 'awaiting_approval', gate: { kind: 'next_batch' } });
      expect(types(effects)).toContain('enqueue_self_review');
    });

    it('queues nothing when the repository turned selfReview off', () => {
      expect(types(packaged({ settings: { selfReview: false } }).effects)).not.toContain(
        'enqueue_self_review',
      );
    });

    it('says so in the comment instead of queueing when the run budget is spent', () => {
      const start = runAtGate('docs_spec', newRun({ tables: ['contacts'] }), []);
      const broke: Run = { ...start, usage: { ...start.usage, costUsd: start.budget.runUsd - 0.01 } };
      const { effects } = drive(
        broke,
        linked,
        approve(),
        (r) => succeeded(r),
        (r) => ciDone(r, 'success'),
      );

      expect(types(effects)).not.toContain('enqueue_self_review');
      expect(effects.find((effect) => effect.type === 'post_self_review')).toMatchObject({
        review: { status: 'failed', reason: expect.stringContaining('run budget is spent') },
      });
    });
  });

  describe('when the review comes back for the current head', () => {
    it.each([
      { name: 'READY', outcomes: {} },
      { name: 'ALMOST', outcomes: { A4: 'fail', A5: 'fail', A6: 'fail', A7: 'fail', B8: 'fail' } },
    ] as const)('adds the label on $name and posts the sticky comment', ({ outcomes }) => {
      const { run } = packaged();

      const outcome = transition(run, reviewed(run, review(outcomes)), NOW);

      expect(outcome.run).toBe(run);
      expect(types(outcome.effects)).toEqual(['post_self_review', 'set_labels']);
      expect(labels(outcome.effects)).toEqual([{ type: 'set_labels', add: [LABEL], remove: [] }]);
    });

    it.each([
      { name: 'a BLOCKER fail', outcomes: { C10: 'fail' } },
      {
        name: 'NEEDS WORK',
        outcomes: Object.fromEntries(
          ['A4', 'A5', 'A6', 'A7', 'A10', 'A11', 'A12', 'B8'].map((id) => [id, 'fail']),
        ),
      },
    ] as const)('removes the label instead on $name', ({ outcomes }) => {
      const { run } = packaged();

      const outcome = transition(run, reviewed(run, review(outcomes)), NOW);

      expect(labels(outcome.effects)).toEqual([{ type: 'set_labels', add: [], remove: [LABEL] }]);
      expect(outcome.effects[0]).toMatchObject({ type: 'post_self_review', headSha: headOf(run) });
    });

    it('posts a failed review with its reason and never adds the label', () => {
      const { run } = packaged();
      const failed: SelfReviewOutcome = {
        status: 'failed',
        reason: 'connector-self-reviewer refused the task.',
      };

      const outcome = transition(run, reviewed(run, failed), NOW);

      expect(outcome.effects[0]).toMatchObject({ type: 'post_self_review', review: failed });
      expect(labels(outcome.effects)).toEqual([{ type: 'set_labels', add: [], remove: [LABEL] }]);
    });

    it('charges what the review spent to the run', () => {
      const { run } = packaged();
      const usage = {
        inputTokens: 10,
        outputTokens: 5,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.25,
      };

      const outcome = transition(run, { ...reviewed(run, review()), usage }, NOW);

      expect(outcome.run.usage.costUsd).toBeCloseTo(run.usage.costUsd + 0.25);
      expect(outcome.run.status).toEqual(run.status);
      expect(types(outcome.effects)).toEqual(['post_self_review', 'set_labels', 'sync_status']);
    });
  });

  describe('when the branch moved on', () => {
    it('still posts the review it queued when it ends after the next batch started, without touching the label', () => {
      const { run } = packaged({ deferred: ['invoices'] });
      const old = headOf(run) ?? '';
      const next = drive(run, approve(), (r) => succeeded(r)).run;

      const outcome = transition(next, reviewed(next, review(), old), NOW);

      expect(headOf(next)).not.toBe(old);
      expect(outcome.effects).toEqual([
        expect.objectContaining({ type: 'post_self_review', batch: 1, headSha: old, late: true }),
      ]);
      expect(labels(outcome.effects)).toEqual([]);
    });

    it('ignores a review of a head it did not queue: no comment, no label', () => {
      const { run } = packaged({ deferred: ['invoices'] });
      const next = drive(run, approve(), (r) => succeeded(r)).run;

      const outcome = transition(next, reviewed(next, review(), 'd'.repeat(40)), NOW);

      expect(outcome.run).toBe(next);
      expect(types(outcome.effects)).toEqual(['log']);
    });

    it('removes the label when the bot first commits again on the PR, and asks nothing on later commits', () => {
      const { run } = packaged({ deferred: ['invoices'] });
      const passed = transition(run, reviewed(run, review()), NOW).run;

      const first = drive(passed, approve(), (r) => succeeded(r));
      expect(labels(first.effects)).toEqual([{ type: 'set_labels', add: [], remove: [LABEL] }]);

      const second = drive(first.run, approve(), (r) => succeeded(r));
      expect(headOf(second.run)).not.toBe(headOf(first.run));
      expect(labels(second.effects)).toEqual([]);
    });

    it('uses the label the repository configured', () => {
      const { run } = packaged({
        deferred: ['invoices'],
        settings: { selfReviewedLabel: 'reviewed-by-bot' },
      });

      const { effects } = drive(run, approve(), (r) => succeeded(r));

      expect(labels(effects)).toEqual([{ type: 'set_labels', add: [], remove: ['reviewed-by-bot'] }]);
    });
  });
});
