import { describeInvalidTableNames, splitTableNames } from '../commands/table-list.js';
import { LIMITS } from '../intake/request-messages.js';
import { describeStatus } from '../render/describe-status.js';
import { unique } from '../unique.js';
import { type CommandEvent, notNow, reply } from './command-replies.js';
import { type Outcome, unchanged } from './outcome.js';
import { STAGE_LABELS, type Stage } from './phase.js';
import { appendFeedback, startStage } from './progress.js';
import type { Feedback, Run } from './run.js';

const TABLES_LINE = /^\s*tables?\s*:\s*(.*)$/im;

/** `/revise <text>`: re-plan, re-run the stage at its gate with the feedback, or keep it for when the running stage ends. */
export function onRevise(run: Run, event: CommandEvent, text: string): Outcome {
  const status = run.status;
  switch (status.kind) {
    case 'awaiting_plan_approval':
      return revisePlan(run, event, text);
    case 'awaiting_approval':
      if (status.gate.kind === 'next_batch') {
        return keep(
          run,
          event,
          text,
          'research',
          'it will guide research of the next batch. Reply `/approve` to start it.',
        );
      }
      return startStage(addFeedback(run, event, text, status.gate.stage), status.gate.stage);
    case 'awaiting_credentials':
      return startStage(addFeedback(run, event, text, 'auth'), 'auth');
    case 'failed':
      return startStage(addFeedback(run, event, text, status.stage), status.stage);
    case 'running':
    case 'waiting_for_ci':
      return keep(
        run,
        event,
        text,
        status.stage,
        `*${STAGE_LABELS[status.stage]}* is still running: I will run it again with your feedback as soon as it ends.`,
      );
    case 'verifying':
      if (status.gate.kind === 'next_batch')
        return keep(run, event, text, 'research', 'it will guide research of the next batch.');
      return keep(
        run,
        event,
        text,
        status.gate.stage,
        `I am re-checking *${STAGE_LABELS[status.gate.stage]}*: I will run it again with your feedback once the check ends.`,
      );
    case 'paused':
      return keep(
        run,
        event,
        text,
        status.stage,
        `it will be used when *${STAGE_LABELS[status.stage]}* resumes after \`/approve\`.`,
      );
    case 'cancelled':
    case 'done':
      return notNow(
        run,
        event,
        'there is no phase to revise. Use `/restart <phase>` to redo one, or `/add-tables a,b`.',
      );
  }
}

function addFeedback(run: Run, event: CommandEvent, text: string, stage: Stage): Run {
  const item: Feedback = { stage, author: event.actor, origin: 'command', text, path: null };
  return appendFeedback(run, item).run;
}

function keep(run: Run, event: CommandEvent, text: string, stage: Stage, note: string): Outcome {
  return unchanged(addFeedback(run, event, text, stage), reply(event, `noted: ${note}`));
}

/**
 * Revises the plan without a model call: a `tables: a, b` line replaces the tables in scope (names as
 * `/add-tables` reads them, case kept, exact repeats dropped, at most as many as an issue may list); any
 * other text is kept as the maintainer's feedback for research, which its agent follows as their
 * instruction (the request's own notes stay untrusted data).
 */
function revisePlan(run: Run, event: CommandEvent, text: string): Outcome {
  const match = TABLES_LINE.exec(text);
  let request = run.request;
  if (match) {
    const names = unique(splitTableNames(match[1] ?? ''));
    const problem = describeTablesProblem(names);
    if (problem !== undefined) {
      return unchanged(
        run,
        reply(
          event,
          `I could not revise the plan: ${problem} Write them as in \`/revise tables: contacts, Leads\`.`,
        ),
      );
    }
    request = { ...request, tables: names };
  }
  const rest = text.replace(TABLES_LINE, '').trim();
  const planned: Run = { ...run, request, batch: { ...run.batch, tables: request.tables } };
  const revised = rest.length > 0 ? addFeedback(planned, event, rest, 'research') : planned;
  const followed = rest.length > 0 ? ' research will follow your instruction.' : '';
  return {
    run: revised,
    effects: [
      { type: 'upsert_plan' },
      reply(event, `updated the plan above.${followed} The run is ${describeStatus(run.status)}.`),
    ],
  };
}

function describeTablesProblem(names: readonly string[]): string | undefined {
  if (names.length === 0) return 'no table names were given.';
  if (names.length > LIMITS.tables) {
    return `${names.length} tables are listed, but a plan takes at most ${LIMITS.tables}.`;
  }
  return describeInvalidTableNames(names);
}
