import { describeStatus } from '../render/describe-status.js';
import { unique } from '../unique.js';
import { type CommandEvent, notNow, reply } from './command-replies.js';
import { type Outcome, unchanged } from './outcome.js';
import { startBatch } from './progress.js';
import type { Run } from './run.js';

/** `/add-tables a,b`: a new batch after completion, more deferred tables at the batch gate, or a wider plan. */
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
    case 'awaiting_plan_approval': {
      const request = { ...run.request, tables: unique([...run.request.tables, ...fresh]) };
      return {
        run: { ...run, request, batch: { ...run.batch, tables: request.tables } },
        effects: [
          { type: 'upsert_plan' },
          reply(event, `added to the plan. The run is ${describeStatus(run.status)}.`),
        ],
      };
    }
    default:
      break;
  }
  return notNow(
    run,
    event,
    '`/add-tables` works once the run is complete (or at the plan and the next-batch question).',
  );
}
