import { type CommandEvent, notNow } from './command-replies.js';
import type { Outcome } from './outcome.js';
import type { Phase } from './phase.js';
import { STAGE_LABELS, STAGES, stageOfPhase } from './phase.js';
import { pendingStage, startStage, updateStage } from './progress.js';
import type { Run } from './run.js';

/**
 * `/restart <phase>`: runs that phase's stage again and everything after it, keeping the branch as
 * it is (earlier output stays). `docs` and `spec` restart their shared stage.
 */
export function onRestart(run: Run, event: CommandEvent, phase: Phase): Outcome {
  const stage = stageOfPhase(phase);
  const label = STAGE_LABELS[stage];
  switch (run.status.kind) {
    case 'running':
    case 'waiting_for_ci':
    case 'verifying':
      return notNow(
        run,
        event,
        `I cannot restart *${label}* while a phase is running; wait for its summary or \`/cancel\`.`,
      );
    case 'awaiting_plan_approval':
      return notNow(run, event, 'nothing has run yet: `/approve` the plan first.');
    case 'cancelled':
      return notNow(run, event, 'this run was cancelled; open a new issue to start again.');
    default:
      break;
  }
  const record = run.batch.stages[stage];
  if (record.state === 'skipped') {
    return notNow(
      run,
      event,
      `*${label}* is skipped in batch ${run.batch.number} (it only runs in the first batch).`,
    );
  }
  if (record.state === 'pending') {
    return notNow(
      run,
      event,
      `*${label}* has not run yet in batch ${run.batch.number}, so there is nothing to restart.`,
    );
  }
  let next: Run = stage === 'test' ? { ...run, testIterations: 0 } : run;
  for (const later of STAGES.slice(STAGES.indexOf(stage) + 1)) {
    const current = next.batch.stages[later];
    if (current.state !== 'skipped')
      next = updateStage(next, later, { ...pendingStage(), attempt: current.attempt });
  }
  return startStage(next, stage);
}
