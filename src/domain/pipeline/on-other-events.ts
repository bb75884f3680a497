import type { RunEvent } from './events.js';
import { type Outcome, unchanged } from './outcome.js';
import { appendFeedback } from './progress.js';
import type { Run } from './run.js';
import { stageForPath } from './stage-for-path.js';

/** The issue was edited after the plan: re-plan while it is still a plan; afterwards say the edit changes nothing. */
export function onRequestEdited(run: Run, event: Extract<RunEvent, { type: 'request_edited' }>): Outcome {
  const target = { kind: 'issue' as const, number: run.ref.issue };
  if (run.status.kind !== 'awaiting_plan_approval') {
    return unchanged(run, {
      type: 'reply',
      key: event.id,
      target,
      body: 'The plan was already approved, so this edit does not change the running build. Use `/add-tables a,b` after it completes, or `/revise <guidance>` at a gate.',
    });
  }
  if (event.request.source !== run.source) {
    return unchanged(run, {
      type: 'reply',
      key: event.id,
      target,
      body: `The source name cannot change once a plan is posted (it names the branch \`${run.branch}\`). Close this issue and open a new one for \`${event.request.source}\`.`,
    });
  }
  const revised: Run = {
    ...run,
    request: event.request,
    batch: { ...run.batch, tables: event.request.tables },
  };
  return { run: revised, effects: [{ type: 'upsert_plan' }] };
}

/** A review on the bot's PR: kept for the next `/revise` of the stage that wrote the file. */
export function onReviewFeedback(run: Run, event: Extract<RunEvent, { type: 'review_feedback' }>): Outcome {
  const gateStage =
    run.status.kind === 'awaiting_approval' && run.status.gate.kind === 'stage'
      ? run.status.gate.stage
      : null;
  const stage =
    (event.path ? stageForPath(run.source, event.path, run.settings.layout) : null) ??
    gateStage ??
    'implement';
  const item = { stage, author: event.author, origin: 'review' as const, text: event.text, path: event.path };
  const { run: next, dropped } = appendFeedback(run, item);
  if (dropped === 0) return { run: next, effects: [] };
  return {
    run: next,
    effects: [
      {
        type: 'log',
        level: 'warn',
        message: 'Dropped the oldest review feedback over the limit',
        details: { dropped },
      },
    ],
  };
}
