import { describe, expect, it } from 'vitest';
import { command, NOW, newRun } from '../../../test/helpers/pipeline.js';
import { RUNS_IN_EACH_STATE } from '../../../test/helpers/run-states.js';
import { renderHelp } from '../render/help.js';
import type { Effect } from './effects.js';
import { Run } from './run.js';
import { transition } from './transition.js';

const names = (count: number, prefix = 'Table') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

function addTables(run: Run, tables: string[]) {
  return transition(run, command({ type: 'add-tables', tables }, { actor: 'octocat' }), NOW);
}

function replyOf(effects: Effect[]): string | undefined {
  const found = effects.find((effect) => effect.type === 'reply');
  return found?.type === 'reply' ? found.body : undefined;
}

/** What `/help` and every `/add-tables` reply agree on. */
const WHEN =
  'at plan approval it adds to the plan; at the next-batch question it adds to the tables still to build; after completion it starts a new batch';

describe('/add-tables', () => {
  describe('at plan approval', () => {
    it('adds to the plan, and the reply says so', () => {
      const outcome = addTables(newRun(), ['invoices']);

      expect(outcome.run.request.tables).toEqual(['contacts', 'deals', 'invoices']);
      expect(outcome.run.batch.tables).toEqual(['contacts', 'deals', 'invoices']);
      expect(replyOf(outcome.effects)).toBe(
        '@octocat added `invoices` to the plan (3 tables). The run is waiting for `/approve` of the plan.',
      );
    });

    it('grows the plan to exactly 100 tables, and the run still parses', () => {
      const run = newRun({ tables: names(98) });

      const outcome = addTables(run, ['invoices', 'payments', 'Table0']);

      expect(outcome.run.request.tables).toHaveLength(100);
      expect(Run.safeParse(outcome.run).success).toBe(true);
    });

    it('refuses to grow the plan past 100 tables, says why and changes nothing', () => {
      const run = newRun({ tables: names(98) });

      const outcome = addTables(run, ['invoices', 'payments', 'refunds']);

      expect(outcome.run).toBe(run);
      expect(replyOf(outcome.effects)).toBe(
        '@octocat I could not add these tables: the plan would list 101 tables, but a plan takes at most 100 (it lists 98 now). Add at most 2 now; after completion `/add-tables` starts a new batch for the rest.',
      );
      expect(Run.safeParse(run).success).toBe(true);
    });
  });

  it('adds to the tables still to build at the next-batch question', () => {
    const run = RUNS_IN_EACH_STATE.next_batch?.();
    if (run === undefined) throw new Error('no next-batch run');

    const outcome = addTables(run, ['invoices']);

    expect(outcome.run.deferredTables).toContain('invoices');
    expect(replyOf(outcome.effects)).toContain('added to the tables still to build');
  });

  it('starts a new batch after completion', () => {
    const run = RUNS_IN_EACH_STATE.done?.();
    if (run === undefined) throw new Error('no done run');

    const outcome = addTables(run, ['invoices']);

    expect(outcome.run.batch.tables).toEqual(['invoices']);
    expect(replyOf(outcome.effects)).toContain('starting batch 2 for `invoices`');
  });

  it('says when it works, in the words of /help, while a stage runs', () => {
    const run = RUNS_IN_EACH_STATE.running?.();
    if (run === undefined) throw new Error('no running run');

    const outcome = addTables(run, ['invoices']);

    expect(outcome.run.batch.tables).toEqual(run.batch.tables);
    expect(replyOf(outcome.effects)).toContain(`\`/add-tables\` works at three points: ${WHEN}.`);
    expect(renderHelp()).toContain(`| \`/add-tables a,b\` | write access | ${WHEN} `);
  });
});
