import type { Effect } from './effects.js';
import type { RunEvent } from './events.js';
import { onCommand } from './on-command.js';
import { type Outcome, unchanged } from './outcome.js';
import type { Run } from './run.js';

type LifecycleEvent = Extract<
  RunEvent,
  { type: 'issue_closed' | 'issue_reopened' | 'pull_request_closed' | 'pull_request_reopened' }
>;

const ENDED = new Set<Run['status']['kind']>(['cancelled', 'done']);

function note(run: Run, event: LifecycleEvent, message: string): Outcome {
  return unchanged(run, {
    type: 'log',
    level: 'info',
    message,
    details: { event: event.type, eventId: event.id, status: run.status.kind },
  });
}

function replyTo(
  event: LifecycleEvent,
  target: { kind: 'issue' | 'pull_request'; number: number },
  body: string,
): Effect {
  return { type: 'reply', key: event.id, target, body: `@${event.actor} ${body}` };
}

/**
 * Stops the run through the very path of `/cancel` (queued jobs removed, a running stage's check run
 * cancelled, the stage worker sees the run cancelled and stops), with `reason` on the cancelled
 * status and this event's own reply instead of the command's.
 */
function stopAsCancel(run: Run, event: LifecycleEvent, reason: string | null): Outcome {
  const stopped = onCommand(run, {
    type: 'command',
    id: event.id,
    command: { type: 'cancel' },
    actor: event.actor,
    target: { kind: 'issue', number: run.ref.issue },
    headSha: null,
  });
  const status =
    stopped.run.status.kind === 'cancelled' && reason !== null
      ? { ...stopped.run.status, reason }
      : stopped.run.status;
  // A closed or merged PR cannot be marked ready; every reply is this event's own.
  const pullRequestGone = event.type === 'pull_request_closed';
  return {
    run: { ...stopped.run, status },
    effects: stopped.effects.filter(
      (effect) => effect.type !== 'reply' && !(pullRequestGone && effect.type === 'mark_pull_request_ready'),
    ),
  };
}

/**
 * `issues.closed` on the run's issue: an active run is cancelled exactly as by `/cancel` (at the
 * next-batch question it stops after the batch, as `/cancel` does there); its source is free for a
 * new issue. An ended run is left as it is.
 */
export function onIssueClosed(run: Run, event: Extract<RunEvent, { type: 'issue_closed' }>): Outcome {
  if (ENDED.has(run.status.kind)) return note(run, event, 'Issue closed on an ended run; nothing to stop');
  const stopped = stopAsCancel(run, event, 'the issue was closed');
  const target = { kind: 'issue' as const, number: run.ref.issue };
  const body =
    stopped.run.status.kind === 'cancelled'
      ? 'cancelled this run because the issue was closed. Nothing further will be spent; the branch and PR are left as they are. Reopening the issue does not resume it: open a new issue to start again.'
      : `the issue was closed, so the run stopped after batch ${run.batch.number}; ${run.deferredTables.length} deferred table(s) were not built.`;
  return { run: stopped.run, effects: [...stopped.effects, replyTo(event, target, body)] };
}

/** `issues.reopened`: a cancelled run does not resume; the bot says how to start again. */
export function onIssueReopened(run: Run, event: Extract<RunEvent, { type: 'issue_reopened' }>): Outcome {
  if (run.status.kind !== 'cancelled')
    return note(run, event, 'Issue reopened on a run that was not cancelled');
  const target = { kind: 'issue' as const, number: run.ref.issue };
  return unchanged(
    run,
    replyTo(
      event,
      target,
      `this issue's run was cancelled and reopening the issue does not resume it. To build \`${run.source}\`, open a new issue with the form (the branch \`${run.branch}\` is kept).`,
    ),
  );
}

/**
 * `pull_request.closed` on the run's PR. Merged: the run is done (an active one stops as on
 * `/cancel`, without marking anything ready). Closed without merging: an active run is cancelled
 * as by `/cancel`. Either way the bot never opens a replacement PR for the branch.
 */
export function onPullRequestClosed(
  run: Run,
  event: Extract<RunEvent, { type: 'pull_request_closed' }>,
): Outcome {
  if (run.pullRequest !== event.number)
    return note(run, event, "Ignored the close of a PR that is not the run's");
  const closed: Run = { ...run, pullRequestClosed: event.merged ? 'merged' : 'closed' };
  const target = { kind: 'issue' as const, number: run.ref.issue };
  if (event.merged) {
    if (run.status.kind === 'done') return { run: closed, effects: [] };
    const stopped =
      run.status.kind === 'cancelled' ? { run: closed, effects: [] } : stopAsCancel(closed, event, null);
    const effects = stopped.effects.filter((effect) => effect.type !== 'post_summary');
    return {
      run: { ...stopped.run, status: { kind: 'done' } },
      effects: [
        ...effects,
        replyTo(
          event,
          target,
          `PR #${event.number} was merged, so this run is complete. Nothing further will run.`,
        ),
      ],
    };
  }
  if (ENDED.has(run.status.kind)) {
    const body = `PR #${event.number} was closed without merging. The run had already ${run.status.kind === 'done' ? 'completed' : 'been cancelled'}; nothing further happens and no new PR is opened.`;
    return { run: closed, effects: [replyTo(event, target, body)] };
  }
  const stopped = stopAsCancel(closed, event, `PR #${event.number} was closed without merging`);
  const body =
    stopped.run.status.kind === 'cancelled'
      ? `PR #${event.number} was closed without merging, so I cancelled this run. Nothing further will be spent and no new PR will be opened; reopening the PR does not resume the run: open a new issue to start again.`
      : `PR #${event.number} was closed without merging, so the run stopped after batch ${run.batch.number}; no new PR will be opened.`;
  return { run: stopped.run, effects: [...stopped.effects, replyTo(event, target, body)] };
}

/** `pull_request.reopened` on the run's PR: the bot keeps its body current again; the run does not resume. */
export function onPullRequestReopened(
  run: Run,
  event: Extract<RunEvent, { type: 'pull_request_reopened' }>,
): Outcome {
  if (run.pullRequest !== event.number || run.pullRequestClosed !== 'closed')
    return note(run, event, 'Ignored the reopen of a PR the run does not hold closed');
  const { pullRequestClosed: _closed, ...reopened } = run;
  const target = { kind: 'pull_request' as const, number: event.number };
  const body =
    run.status.kind === 'cancelled'
      ? `this PR is open again, but its run was cancelled when the PR was closed and does not resume. Open a new issue to start \`${run.source}\` again.`
      : 'this PR is open again; the run was already complete, so nothing further runs.';
  return { run: reopened, effects: [replyTo(event, target, body)] };
}
