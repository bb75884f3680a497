import { assertNever } from '../assert-never.js';
import { STAGE_LABELS } from '../pipeline/phase.js';
import type { RunStatus } from '../pipeline/run.js';

/** One short phrase for where a run stands, used in replies and the status header. */
export function describeStatus(status: RunStatus): string {
  switch (status.kind) {
    case 'awaiting_plan_approval':
      return 'waiting for `/approve` of the plan';
    case 'running':
      return `running *${STAGE_LABELS[status.stage]}*`;
    case 'waiting_for_ci':
      return status.recheck === undefined
        ? `waiting for the ${status.mode} CI run of *${STAGE_LABELS[status.stage]}*`
        : `re-checking *${STAGE_LABELS[status.stage]}* in CI on the new branch head before the approval counts`;
    case 'awaiting_approval':
      return status.gate.kind === 'stage'
        ? `waiting for \`/approve\` after *${STAGE_LABELS[status.gate.stage]}*`
        : 'waiting for `/approve` to build the next batch';
    case 'verifying':
      return status.gate.kind === 'stage'
        ? `re-checking *${STAGE_LABELS[status.gate.stage]}* on the new branch head`
        : 're-checking *package* on the new branch head before the next batch';
    case 'awaiting_credentials':
      return 'waiting for live credentials (`/approve` once the secret is set, or `/skip-auth`)';
    case 'paused':
      return status.tokens === undefined
        ? `paused: the ${status.budget} budget ($${status.limitUsd.toFixed(2)}) is spent`
        : `paused: the ${status.budget} token budget (${status.tokens.limit.toLocaleString('en-US')} tokens) is spent`;
    case 'failed':
      return `failed in *${STAGE_LABELS[status.stage]}*`;
    case 'cancelled':
      return status.reason === undefined ? `cancelled by ${status.by}` : `cancelled because ${status.reason}`;
    case 'done':
      return 'complete';
    default:
      return assertNever(status);
  }
}
