import { assertNever } from '../assert-never.js';
import type { RunStatus } from '../pipeline/run.js';

/** The icon before a run's state: ⏸ waits for a person, ⏳ works, ✗ stopped, ✅ complete. */
export function statusIcon(status: RunStatus): string {
  switch (status.kind) {
    case 'awaiting_plan_approval':
    case 'awaiting_approval':
    case 'awaiting_credentials':
    case 'paused':
      return '⏸';
    case 'running':
    case 'waiting_for_ci':
    case 'verifying':
      return '⏳';
    case 'failed':
    case 'cancelled':
      return '✗';
    case 'done':
      return '✅';
    default:
      return assertNever(status);
  }
}
