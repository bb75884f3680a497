import { LIMITS } from '../intake/request-messages.js';
import { describeStatus } from '../render/describe-status.js';
import { ADD_TABLES_WHEN } from '../render/help.js';
import { unique } from '../unique.js';
import { type CommandEvent, notNow, reply } from './command-replies.js';
import { type Outcome, unchanged } from './outcome.js';
import { startBatch } from './progress.js';
import type { Run } from './run.js';

/**
 * `/add-tables a,b`: at plan approval a wider plan (never past the 100 tables a request may list), at
 * the next-batch question more tables still to build, after completion a new batch.
 */
export function onAddTables(run: Run, event: CommandEvent, tables: string[]): Outcome {
  const known = new Set([...run.completedTables, ...run.batch.tables]);
  const fresh = unique(tables).filter(
    (table) => !known.has(table) || run.status.kind === 'awaiting_plan_approval',
  );
  const already = tables.filter((table) => !fresh.includes(table));
  const skipped = already.length > 0 ? ` (already built: \`${already.join('`, `')}\`)` : '';
  switch (run.status.kind) {
    case 'done':
      if (fresh.length === 0) return notNow(run, event, `every table you listed is already built${skipped}.`);
      {
        const started = startBatch({ ...run, status: run.status }, fresh);
        return {
          run: started.run,
          effects: [
            reply(event, `starting batch ${run.batch.number + 1} for \`${fresh.join('`, `')}\`${skipped}.`),
            ...started.effects,
          ],
        };
      }
    case 'awaiting_approval':
      if (run.status.gate.kind === 'next_batch') {
        const deferredTables = unique([...fresh, ...run.deferredTables]);
        return unchanged(
          { ...run, deferredTables },
          reply(
            event,
            `added to the tables still to build${skipped}. Reply \`/approve\` to build the next batch.`,
          ),
        );
      }
      break;
    case 'awaiting_plan_approval':
      return addToPlan(run, event, fresh);
    default:
      break;
  }
  return notNow(run, event, `\`/add-tables\` works at three points: ${ADD_TABLES_WHEN}.`);
}

function addToPlan(run: Run, event: CommandEvent, tables: string[]): Outcome {
  const planned = run.request.tables;
  const added = tables.filter((table) => !planned.includes(table));
  const total = planned.length + added.length;
  if (total > LIMITS.tables) {
    const room = Math.max(0, LIMITS.tables - planned.length);
    return unchanged(
      run,
      reply(
        event,
        `I could not add these tables: the plan would list ${total} tables, but a plan takes at most ${LIMITS.tables} (it lists ${planned.length} now). ` +
          `Add at most ${room} now; after completion \`/add-tables\` starts a new batch for the rest.`,
      ),
    );
  }
  const request = { ...run.request, tables: [...planned, ...added] };
  const what =
    added.length > 0 ? `added \`${added.join('`, `')}\` to the plan` : 'the plan already lists them';
  return {
    run: { ...run, request, batch: { ...run.batch, tables: request.tables } },
    effects: [
      { type: 'upsert_plan' },
      reply(event, `${what} (${total} tables). The run is ${describeStatus(run.status)}.`),
    ],
  };
}
