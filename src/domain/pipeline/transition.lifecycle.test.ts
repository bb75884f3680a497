import { describe, expect, it } from 'vitest';
import { command, NOW, types } from '../../../test/helpers/pipeline.js';
import { RUNS_IN_EACH_STATE } from '../../../test/helpers/run-states.js';
import { describeStatus } from '../render/describe-status.js';
import type { Effect } from './effects.js';
import type { RunEvent } from './events.js';
import type { Run, RunStatusKind } from './run.js';
import { transition } from './transition.js';

const PR = 57;
const withPr = (run: Run): Run => ({ ...run, pullRequest: PR });
const issueClosed: RunEvent = { type: 'issue_closed', id: 'delivery-close', actor: 'maintainer' };
const issueReopened: RunEvent = { type: 'issue_reopened', id: 'delivery-reopen', actor: 'maintainer' };
const prClosed = (merged: boolean, number = PR): RunEvent => ({
  type: 'pull_request_closed',
  id: 'delivery-pr-close',
  number,
  merged,
  actor: 'maintainer',
});
const prReopened: RunEvent = {
  type: 'pull_request_reopened',
  id: 'delivery-pr-reopen',
  number: PR,
  actor: 'x',
};

/** Status after the event in each state; `=` = the run object is returned unchanged. */
const STOPS: Record<string, RunStatusKind | '='> = {
  plan: 'cancelled',
  running: 'cancelled',
  waiting_for_ci: 'cancelled',
  gate: 'cancelled',
  next_batch: 'done',
  verifying: 'cancelled',
  credentials: 'cancelled',
  paused: 'cancelled',
  failed: 'cancelled',
  cancelled: '=',
  done: '=',
};
const STATES = Object.keys(RUNS_IN_EACH_STATE);
const nonReply = (effects: Effect[]) => effects.filter((e) => e.type !== 'reply');
const replies = (effects: Effect[]) => effects.filter((e) => e.type === 'reply');

function stateRun(state: string): Run {
  const build = RUNS_IN_EACH_STATE[state];
  if (!build) throw new Error(`no ${state}`);
  return withPr(build());
}

describe('transition: the issue is closed', () => {
  it.each(STATES)('%s: stops as /cancel would, with its own reply', (state) => {
    const run = stateRun(state);
    const outcome = transition(run, issueClosed, NOW);
    const expected = STOPS[state];

    if (expected === '=') {
      expect(outcome.run).toBe(run);
      expect(types(outcome.effects)).toEqual(['log']);
      return;
    }
    const cancel = transition(run, command({ type: 'cancel' }), NOW);
    expect(outcome.run.status.kind).toBe(expected);
    expect(nonReply(outcome.effects)).toEqual(nonReply(cancel.effects));
    expect(replies(outcome.effects)).toEqual([
      expect.objectContaining({ key: 'delivery-close', target: { kind: 'issue', number: 42 } }),
    ]);
    if (expected === 'cancelled') {
      expect(types(outcome.effects)).toContain('cancel_jobs');
      expect(describeStatus(outcome.run.status)).toBe('cancelled because the issue was closed');
      expect(replies(outcome.effects)[0]).toMatchObject({
        body: expect.stringContaining('because the issue was closed'),
      });
    }
  });
});

describe('transition: the issue is reopened', () => {
  it('a cancelled run does not resume: the reply says to open a new issue', () => {
    const cancelled = transition(stateRun('gate'), issueClosed, NOW).run;
    const outcome = transition(cancelled, issueReopened, NOW);
    expect(outcome.run).toBe(cancelled);
    expect(outcome.effects).toEqual([
      expect.objectContaining({ type: 'reply', body: expect.stringContaining('open a new issue') }),
    ]);
  });

  it.each(STATES.filter((s) => s !== 'cancelled'))('%s: nothing changes (a log line)', (state) => {
    const run = stateRun(state);
    const outcome = transition(run, issueReopened, NOW);
    expect(outcome.run).toBe(run);
    expect(types(outcome.effects)).toEqual(['log']);
  });
});

describe('transition: the PR is closed without merging', () => {
  it.each(STATES)('%s: an active run stops as /cancel would; the PR is never replaced', (state) => {
    const run = stateRun(state);
    const outcome = transition(run, prClosed(false), NOW);
    const expected = STOPS[state];

    expect(outcome.run.pullRequestClosed).toBe('closed');
    expect(types(outcome.effects)).not.toContain('mark_pull_request_ready');
    expect(types(outcome.effects)).not.toContain('ensure_pull_request');
    expect(replies(outcome.effects)).toHaveLength(1);
    expect(outcome.effects.at(-1)).toEqual(expect.objectContaining({ type: 'sync_status' }));
    if (expected === '=') {
      expect(outcome.run.status).toEqual(run.status);
      return;
    }
    expect(outcome.run.status.kind).toBe(expected);
    const cancel = transition(run, command({ type: 'cancel' }), NOW);
    expect(nonReply(outcome.effects)).toEqual(
      nonReply(cancel.effects).filter((e) => e.type !== 'mark_pull_request_ready'),
    );
    if (expected === 'cancelled')
      expect(describeStatus(outcome.run.status)).toBe(
        `cancelled because PR #${PR} was closed without merging`,
      );
  });

  it("ignores a PR that is not the run's", () => {
    const run = stateRun('gate');
    const outcome = transition(run, prClosed(false, PR + 1), NOW);
    expect(outcome.run).toBe(run);
    expect(types(outcome.effects)).toEqual(['log']);
  });
});

describe('transition: the PR is merged', () => {
  it.each(STATES)('%s: the run is done and nothing more runs', (state) => {
    const run = stateRun(state);
    const outcome = transition(run, prClosed(true), NOW);
    expect(outcome.run.status.kind).toBe('done');
    expect(outcome.run.pullRequestClosed).toBe('merged');
    expect(types(outcome.effects)).not.toContain('enqueue_stage');
    expect(types(outcome.effects)).not.toContain('mark_pull_request_ready');
    expect(types(outcome.effects)).not.toContain('dispatch_ci');
    if (!['cancelled', 'done', 'next_batch'].includes(state))
      expect(types(outcome.effects)).toContain('cancel_jobs');
  });
});

describe('transition: the PR is reopened', () => {
  it("after a close, the run stays cancelled, the PR is the bot's again and the reply says so", () => {
    const closed = transition(stateRun('gate'), prClosed(false), NOW).run;
    const outcome = transition(closed, prReopened, NOW);
    expect(outcome.run.status).toEqual(closed.status);
    expect(outcome.run.pullRequestClosed).toBeUndefined();
    expect(replies(outcome.effects)).toEqual([
      expect.objectContaining({
        target: { kind: 'pull_request', number: PR },
        body: expect.stringContaining('does not resume'),
      }),
    ]);
  });

  it('a PR the run does not hold closed changes nothing', () => {
    const run = stateRun('gate');
    const outcome = transition(run, prReopened, NOW);
    expect(outcome.run).toBe(run);
    expect(types(outcome.effects)).toEqual(['log']);
  });
});
