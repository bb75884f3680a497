import type { Run } from '../pipeline/run.js';
import { renderCommandsNow } from './commands-now.js';
import { describeStatus } from './describe-status.js';
import { formatUsd, renderBatchLabel } from './format.js';

/**
 * The `/status` reply: where the run stands, its batch and spend, and the commands that apply now.
 * No marker: the caller prefixes the mention of the person who asked (`@someone the run…`).
 */
export function renderStatusReply(run: Run): string {
  const pr = run.pullRequest === null ? '' : `, PR #${run.pullRequest}`;
  return [
    `the \`${run.source}\` run is ${describeStatus(run.status)} (${renderBatchLabel(run)}${pr}, spent ${formatUsd(run.usage.costUsd)} of ${formatUsd(run.budget.runUsd)}).`,
    renderCommandsNow(run),
  ].join('\n');
}
