import { assertNever } from '../assert-never.js';
import { STAGE_LABELS } from './phase.js';
import type { RunStatus } from './run.js';

/**
 * What a person answers in `status`, as a key that changes whenever the question does (another
 * gate, the same gate on another head, another failure); `null` while the run is busy or cancelled.
 * A finished run is a point too: its final summary offers `/approve` for the live check when auth
 * was skipped, and an `/approve` meant for the last gate must not start that check.
 */
export function answerPoint(status: RunStatus): string | null {
  switch (status.kind) {
    case 'awaiting_plan_approval':
      return 'plan';
    case 'awaiting_approval':
      return status.gate.kind === 'stage'
        ? `gate:${status.gate.stage}:${status.headSha ?? ''}`
        : `gate:next_batch:${status.headSha ?? ''}`;
    case 'awaiting_credentials':
      return `credentials:${status.headSha ?? ''}:${status.lastCheck}`;
    case 'paused':
      return `paused:${status.stage}:${status.budget}:${status.limitUsd}`;
    case 'failed':
      return `failed:${status.stage}:${status.reason}`;
    case 'done':
      return 'done';
    case 'running':
    case 'waiting_for_ci':
    case 'verifying':
    case 'cancelled':
      return null;
    default:
      return assertNever(status);
  }
}

/** A short name for the point a person answers, for a reply. */
export function describeAnswerPoint(status: RunStatus): string {
  switch (status.kind) {
    case 'awaiting_plan_approval':
      return 'the plan';
    case 'awaiting_approval':
      return status.gate.kind === 'stage'
        ? `the *${STAGE_LABELS[status.gate.stage]}* summary`
        : 'the next-batch question';
    case 'awaiting_credentials':
      return 'the credentials request';
    case 'paused':
      return 'the budget pause';
    case 'failed':
      return `the *${STAGE_LABELS[status.stage]}* failure`;
    case 'done':
      return 'the final summary';
    default:
      return 'the current state';
  }
}
