import { assertNever } from '../assert-never.js';
import type { Run } from '../pipeline/run.js';

/**
 * The commands that do something in the run's current status, most useful first, as a maintainer
 * would type them (placeholders in `<…>`). Mirrors what `on-command.ts` accepts in each status;
 * `/status` and `/help` always work and are left out. A cancelled run takes no command.
 */
export function commandsNow(run: Run): string[] {
  const status = run.status;
  switch (status.kind) {
    case 'awaiting_plan_approval':
      return ['/approve', '/revise <changes>', '/cancel'];
    case 'running':
    case 'waiting_for_ci':
    case 'verifying':
      return ['/revise <feedback>', '/cancel'];
    case 'awaiting_approval':
      return status.gate.kind === 'stage'
        ? ['/approve', '/revise <feedback>', '/restart <phase>', '/cancel']
        : ['/approve', '/add-tables a,b', '/revise <guidance>', '/cancel'];
    case 'awaiting_credentials':
      return ['/approve', '/skip-auth', '/revise <feedback>', '/cancel'];
    case 'paused':
      return ['/approve', '/revise <feedback>', '/restart <phase>', '/cancel'];
    case 'failed':
      return ['/retry', '/revise <guidance>', '/restart <phase>', '/cancel'];
    case 'cancelled':
      return [];
    case 'done':
      return run.auth === 'skipped'
        ? ['/approve', '/add-tables a,b', '/restart <phase>']
        : ['/add-tables a,b', '/restart <phase>'];
    default:
      return assertNever(status);
  }
}

/**
 * One line listing `commandsNow`, the closing line of replies and summaries:
 * ``Commands now: `/retry` · `/revise <guidance>` · … · `/help` lists them all.``
 */
export function renderCommandsNow(run: Run): string {
  const commands = commandsNow(run);
  if (commands.length === 0)
    return 'No command applies now: the run was cancelled. Open a new issue to start again.';
  return `Commands now: ${commands.map((command) => `\`${command}\``).join(' · ')} · \`/help\` lists them all.`;
}
