import { assertNever } from '../assert-never.js';
import type { Command } from '../commands/schema.js';
import { renderHelp } from '../render/help.js';
import { renderStatusReply } from '../render/status-reply.js';
import { describeAnswerPoint } from './answer-point.js';
import { type CommandEvent, notNow, reply } from './command-replies.js';
import type { Effect } from './effects.js';
import { onAddTables } from './on-add-tables.js';
import { startLiveCheck } from './on-live-check.js';
import { onRestart } from './on-restart.js';
import { onRevise } from './on-revise.js';
import { onSkipAuth } from './on-skip-auth.js';
import { type Outcome, unchanged } from './outcome.js';
import { advancePast, dispatchCi, nextBatchTables, startBatch, startStage, updateStage } from './progress.js';
import { startRecheck } from './recheck.js';
import type { Run } from './run.js';

/** Commands that answer the point the run is at: bound to what their author could have seen. */
const ANSWERS = new Set<Command['type']>(['approve', 'revise', 'retry', 'restart', 'skip-auth']);

/**
 * True when `event` answers a point the run reached after its comment was written (a late delivery,
 * or a command typed while the bot moved on). GitHub's timestamps are whole seconds, so the
 * comparison is too: a command written in the second the point was reached counts.
 */
function isWrittenBefore(run: Run, event: CommandEvent): boolean {
  if (!ANSWERS.has(event.command.type) || event.writtenAt == null || run.statusSince === undefined)
    return false;
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  return seconds(event.writtenAt) < seconds(run.statusSince);
}

/** Applies an authorised command to the run. */
export function onCommand(run: Run, event: CommandEvent): Outcome {
  const command: Command = event.command;
  if (isWrittenBefore(run, event)) {
    return unchanged(
      run,
      reply(
        event,
        `this \`/${command.type}\` was written before ${describeAnswerPoint(run.status)} was posted, so it answers something that has changed since: nothing was done. Read the latest comment and send it again if it still applies.`,
      ),
    );
  }
  switch (command.type) {
    case 'approve':
      return onApprove(run, event);
    case 'revise':
      return onRevise(run, event, command.feedback);
    case 'retry':
      return onRetry(run, event);
    case 'restart':
      return onRestart(run, event, command.phase);
    case 'skip-auth':
      return onSkipAuth(run, event);
    case 'add-tables':
      return onAddTables(run, event, command.tables);
    case 'cancel':
      return onCancel(run, event);
    case 'status':
      return unchanged(run, reply(event, renderStatusReply(run)));
    case 'help':
      return unchanged(run, reply(event, renderHelp()));
    default:
      return assertNever(command);
  }
}

function onApprove(run: Run, event: CommandEvent): Outcome {
  const status = run.status;
  switch (status.kind) {
    case 'awaiting_plan_approval': {
      const started = startStage(run, 'research');
      return { run: started.run, effects: [{ type: 'ensure_branch' }, ...started.effects] };
    }
    case 'awaiting_approval': {
      const from = status.headSha;
      const to = event.headSha;
      if (from !== null && to !== null && from !== to) return startRecheck(run, event, status.gate, from, to);
      if (status.gate.kind === 'next_batch') return startBatch(run, nextBatchTables(run));
      return advancePast(run, status.gate.stage);
    }
    case 'awaiting_credentials':
      return dispatchCi(run, 'auth', 'auth', undefined, event.headSha);
    case 'paused': {
      const raise = raiseBudget(run, status);
      if (raise === null) {
        return notNow(
          run,
          event,
          `the ${status.budget} budget is at the ceiling the bot's operator set, so it cannot be raised: nothing more will be spent on this ${status.budget === 'run' ? 'run' : 'phase attempt'}. \`/cancel\` ends the run.`,
        );
      }
      const { budget, which } = raise;
      const raised = startStage({ ...run, budget }, status.stage);
      return {
        run: raised.run,
        effects: [reply(event, `raised the ${which} and resumed.`), ...raised.effects],
      };
    }
    case 'failed':
      return notNow(
        run,
        event,
        'there is no gate to approve: use `/retry` to run the failed phase again, or `/revise <guidance>`.',
      );
    case 'running':
    case 'waiting_for_ci':
    case 'verifying':
      return notNow(
        run,
        event,
        'there is nothing to approve yet: I will post a summary when this phase ends.',
      );
    case 'cancelled':
      return notNow(run, event, 'this run was cancelled; open a new issue to start again.');
    case 'done':
      if (run.auth === 'skipped') return startLiveCheck(run, event.headSha);
      return notNow(
        run,
        event,
        'there is nothing left to approve. Use `/add-tables a,b` to build more tables.',
      );
    default:
      return assertNever(status);
  }
}

function onRetry(run: Run, event: CommandEvent): Outcome {
  if (run.status.kind !== 'failed')
    return notNow(run, event, '`/retry` re-runs a failed phase, and none has failed.');
  const stage = run.status.stage;
  const reset = stage === 'test' ? { ...run, testIterations: 0 } : run;
  return startStage(reset, stage);
}

/** `/cancel` at the next-batch question: keep what is built, finish the run and hand the PR over. */
function stopAfterBatch(run: Run, event: CommandEvent): Outcome {
  const left = run.deferredTables.length;
  return {
    run: { ...run, status: { kind: 'done' } },
    effects: [
      reply(
        event,
        `stopped after batch ${run.batch.number}; ${left} deferred table(s) stay listed for a later \`/add-tables\`.`,
      ),
      { type: 'post_summary', key: `final-b${run.batch.number}`, summary: { kind: 'final' } },
      { type: 'mark_pull_request_ready' },
    ],
  };
}

function onCancel(run: Run, event: CommandEvent): Outcome {
  if (run.status.kind === 'cancelled') return notNow(run, event, 'nothing to cancel.');
  if (run.status.kind === 'done') return notNow(run, event, 'nothing to cancel: the run is complete.');
  if (run.status.kind === 'awaiting_approval' && run.status.gate.kind === 'next_batch')
    return stopAfterBatch(run, event);
  const effects: Effect[] = [{ type: 'cancel_jobs' }];
  const running =
    run.status.kind === 'running' || run.status.kind === 'waiting_for_ci' ? run.status.stage : null;
  let next: Run = { ...run, status: { kind: 'cancelled', by: event.actor } };
  if (running !== null) {
    next = updateStage(next, running, { state: 'failed', note: 'cancelled' });
    effects.push({
      type: 'upsert_check_run',
      stage: running,
      batch: run.batch.number,
      state: 'cancelled',
      headSha: null,
      title: `${running}: cancelled`,
    });
  }
  effects.push(
    reply(
      event,
      'cancelled this run. Nothing further will be spent; the branch and PR are left as they are.',
    ),
  );
  return { run: next, effects };
}

/** The budget `/approve` raises after a pause: the one that ran out, by its step, never past the operator's cap (`null`: at the cap). */
function raiseBudget(
  run: Run,
  status: Extract<Run['status'], { kind: 'paused' }>,
): { budget: Run['budget']; which: string } | null {
  const { raiseStepUsd, raiseStepTokens } = run.settings.budget;
  const caps = run.settings.caps;
  if (status.tokens !== undefined) {
    const key = status.budget === 'run' ? 'runTokens' : 'stageTokens';
    const raised = Math.min(run.budget[key] + raiseStepTokens, caps?.[key] ?? Number.POSITIVE_INFINITY);
    if (raised <= run.budget[key]) return null;
    return {
      budget: { ...run.budget, [key]: raised },
      which: `${status.budget} token budget to ${raised.toLocaleString('en-US')} tokens`,
    };
  }
  const key = status.budget === 'run' ? 'runUsd' : 'stageUsd';
  const raised = Math.min(run.budget[key] + raiseStepUsd, caps?.[key] ?? Number.POSITIVE_INFINITY);
  if (raised <= run.budget[key]) return null;
  return {
    budget: { ...run.budget, [key]: raised },
    which: `${status.budget} budget to $${raised.toFixed(2)}`,
  };
}
