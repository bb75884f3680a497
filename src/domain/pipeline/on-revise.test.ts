import { describe, expect, it } from 'vitest';
import { command, NOW, newRun } from '../../../test/helpers/pipeline.js';
import { Run } from './run.js';
import { transition } from './transition.js';

const RULE =
  "A table name is spelled as the connector's `list_tables()` returns it: up to 128 characters, an ASCII letter first, then letters of either case, digits or `_`, e.g. `contacts`, `Leads`, `userGroups` or `Legal_Tags`.";
const EXAMPLE = 'Write them as in `/revise tables: contacts, Leads`.';

function revise(feedback: string) {
  const run = newRun();
  return { run, outcome: transition(run, command({ type: 'revise', feedback }, { actor: 'octocat' }), NOW) };
}

function replyOf(effects: { type: string; body?: string }[]): string | undefined {
  return effects.find((effect) => effect.type === 'reply')?.body;
}

describe('onRevise', () => {
  describe('when a `tables:` line revises the plan', () => {
    it.each<[string, string[]]>([
      ['tables: contacts, deals', ['contacts', 'deals']],
      ['tables: Invoice, PurchaseOrder', ['Invoice', 'PurchaseOrder']],
      [
        'Tables: `shiftTypes` `Legal_Notes`\nSites__Buildings__FloorPlans stays a note',
        ['shiftTypes', 'Legal_Notes'],
      ],
      ['table: Leads leads', ['Leads', 'leads']],
      ['tables: Leads, Leads, deals', ['Leads', 'deals']],
    ])('keeps the names of %j as written', (feedback, tables) => {
      const { outcome } = revise(feedback);

      expect(outcome.run.request.tables).toEqual(tables);
      expect(outcome.run.batch.tables).toEqual(tables);
      expect(outcome.effects.map((effect) => effect.type)).toEqual(['upsert_plan', 'reply', 'sync_status']);
    });

    it('leaves a run that still parses, with 100 tables', () => {
      const names = Array.from({ length: 100 }, (_, i) => `Table${i}`);

      const { outcome } = revise(`tables: ${names.join(', ')}`);

      expect(outcome.run.request.tables).toHaveLength(100);
      expect(Run.safeParse(outcome.run).success).toBe(true);
    });
  });

  describe('when the `tables:` line is wrong', () => {
    it.each<[string, string, string]>([
      ['no names', 'tables: ``', 'no table names were given.'],
      [
        'a path',
        'tables: contacts, ../../etc/passwd',
        `\`../../etc/passwd\` is not a valid table name. ${RULE}`,
      ],
      ['a slash', 'tables: Instances/Assets', `\`Instances/Assets\` is not a valid table name. ${RULE}`],
      [
        'a hyphen',
        'tables: Legal-Notes',
        `\`Legal-Notes\` is not a valid table name (use \`Legal_Notes\`). ${RULE}`,
      ],
      ['a pipe', 'tables: a|b', `\`a|b\` is not a valid table name. ${RULE}`],
      ['a leading dot', 'tables: .Leads', `\`.Leads\` is not a valid table name. ${RULE}`],
      [
        'a long name',
        `tables: T${'a'.repeat(128)}`,
        `\`T${'a'.repeat(39)}…\` is not a valid table name. ${RULE}`,
      ],
      [
        '101 tables',
        `tables: ${Array.from({ length: 101 }, (_, i) => `t${i}`).join(' ')}`,
        '101 tables are listed, but a plan takes at most 100.',
      ],
    ])('refuses %s and keeps the plan', (_label, feedback, problem) => {
      const { run, outcome } = revise(feedback);

      expect(outcome.run).toBe(run);
      expect(replyOf(outcome.effects)).toBe(`@octocat I could not revise the plan: ${problem} ${EXAMPLE}`);
    });
  });

  describe('when free text revises the plan', () => {
    it('keeps it as the maintainer’s instruction for research, not as request notes', () => {
      const { run, outcome } = revise('tables: contacts\nuse the v2 API');

      expect(outcome.run.request.notes).toBe(run.request.notes);
      expect(outcome.run.feedback).toEqual([
        { stage: 'research', author: 'octocat', origin: 'command', text: 'use the v2 API', path: null },
      ]);
      expect(replyOf(outcome.effects)).toContain('research will follow your instruction');

      const approved = transition(outcome.run, command({ type: 'approve' }, { actor: 'octocat' }), NOW);
      const stage = approved.effects.find((effect) => effect.type === 'enqueue_stage');
      expect(stage?.type === 'enqueue_stage' && stage.job.feedback).toEqual([
        { stage: 'research', author: 'octocat', origin: 'command', text: 'use the v2 API', path: null },
      ]);
      expect(stage?.type === 'enqueue_stage' && stage.job.notes).toBe(run.request.notes);
    });
  });
});
