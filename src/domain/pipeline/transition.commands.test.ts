import { describe, expect, it } from 'vitest';
import { command, NOW, types } from '../../../test/helpers/pipeline.js';
import { RUNS_IN_EACH_STATE } from '../../../test/helpers/run-states.js';
import type { Command } from '../commands/schema.js';
import type { Run, RunStatusKind } from './run.js';
import { transition } from './transition.js';

const COMMANDS: Record<string, Command> = {
  approve: { type: 'approve' },
  revise: { type: 'revise', feedback: 'use the v2 API' },
  retry: { type: 'retry' },
  restart: { type: 'restart', phase: 'implement' },
  'skip-auth': { type: 'skip-auth' },
  'add-tables': { type: 'add-tables', tables: ['invoices'] },
  cancel: { type: 'cancel' },
  status: { type: 'status' },
  help: { type: 'help' },
};

/**
 * Expected status after each command in each state. `=` means "unchanged, with a reply saying why"
 * (or, for status and help, a reply with the information).
 */
const EXPECTED: Record<string, Record<string, RunStatusKind | '='>> = {
  plan: {
    approve: 'running',
    revise: 'awaiting_plan_approval',
    retry: '=',
    restart: '=',
    'skip-auth': 'awaiting_plan_approval',
    'add-tables': 'awaiting_plan_approval',
    cancel: 'cancelled',
    status: '=',
    help: '=',
  },
  running: {
    approve: '=',
    revise: 'running',
    retry: '=',
    restart: '=',
    'skip-auth': 'running',
    'add-tables': '=',
    cancel: 'cancelled',
    status: '=',
    help: '=',
  },
  waiting_for_ci: {
    approve: '=',
    revise: 'waiting_for_ci',
    retry: '=',
    restart: '=',
    'skip-auth': '=',
    'add-tables': '=',
    cancel: 'cancelled',
    status: '=',
    help: '=',
  },
  gate: {
    approve: 'running',
    revise: 'running',
    retry: '=',
    restart: 'running',
    'skip-auth': '=',
    'add-tables': '=',
    cancel: 'cancelled',
    status: '=',
    help: '=',
  },
  next_batch: {
    approve: 'running',
    revise: 'awaiting_approval',
    retry: '=',
    restart: 'running',
    'skip-auth': '=',
    'add-tables': 'awaiting_approval',
    cancel: 'done',
    status: '=',
    help: '=',
  },
  verifying: {
    approve: '=',
    revise: 'verifying',
    retry: '=',
    restart: '=',
    'skip-auth': '=',
    'add-tables': '=',
    cancel: 'cancelled',
    status: '=',
    help: '=',
  },
  credentials: {
    approve: 'waiting_for_ci',
    revise: 'running',
    retry: '=',
    restart: '=',
    'skip-auth': 'running',
    'add-tables': '=',
    cancel: 'cancelled',
    status: '=',
    help: '=',
  },
  paused: {
    approve: 'running',
    revise: 'paused',
    retry: '=',
    restart: '=',
    'skip-auth': 'paused',
    'add-tables': '=',
    cancel: 'cancelled',
    status: '=',
    help: '=',
  },
  failed: {
    approve: '=',
    revise: 'running',
    retry: 'running',
    restart: '=',
    'skip-auth': 'failed',
    'add-tables': '=',
    cancel: 'cancelled',
    status: '=',
    help: '=',
  },
  cancelled: {
    approve: '=',
    revise: '=',
    retry: '=',
    restart: '=',
    'skip-auth': '=',
    'add-tables': '=',
    cancel: '=',
    status: '=',
    help: '=',
  },
  done: {
    // The fixture skipped the live check (`/skip-auth`): /approve runs it now.
    approve: 'waiting_for_ci',
    revise: '=',
    retry: '=',
    restart: 'running',
    'skip-auth': '=',
    'add-tables': 'running',
    cancel: '=',
    status: '=',
    help: '=',
  },
};

const CASES = Object.keys(RUNS_IN_EACH_STATE).flatMap((state) =>
  Object.keys(COMMANDS).map((name) => ({ state, name, expected: EXPECTED[state]?.[name] })),
);

describe('transition', () => {
  describe('when a command arrives in each state', () => {
    it.each(CASES)('$state + /$name → $expected', ({ state, name, expected }) => {
      const run = RUNS_IN_EACH_STATE[state]?.();
      const cmd = COMMANDS[name];
      if (!run || !cmd || !expected) throw new Error('table is incomplete');

      const outcome = transition(run, command(cmd), NOW);

      if (expected === '=') {
        expect(outcome.run).toBe(run);
        expect(types(outcome.effects)).toEqual(['reply']);
      } else {
        expect(outcome.run.status.kind).toBe(expected);
        expect(outcome.effects.at(-1)).toEqual(expect.objectContaining({ type: 'sync_status' }));
      }
    });

    it.each(CASES)('$state + /$name is never a silent drop', ({ state, name }) => {
      const run = RUNS_IN_EACH_STATE[state]?.();
      const cmd = COMMANDS[name];
      if (!run || !cmd) throw new Error('table is incomplete');

      const outcome = transition(run, command(cmd), NOW);

      const visible = outcome.effects.filter((effect) => effect.type !== 'log');
      expect(visible.length).toBeGreaterThan(0);
    });
  });

  describe('when a command does not apply', () => {
    it('explains why, mentioning the author and where the run stands', () => {
      const run = RUNS_IN_EACH_STATE.running?.() as Run;

      const outcome = transition(run, command({ type: 'retry' }, { actor: 'octocat' }), NOW);

      expect(outcome.effects).toEqual([
        {
          type: 'reply',
          key: expect.any(String),
          target: { kind: 'issue', number: 42 },
          body: '@octocat `/retry` re-runs a failed phase, and none has failed. The run is running *research*.',
        },
      ]);
    });
  });
});
