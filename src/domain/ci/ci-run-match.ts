import { headOf } from '../pipeline/progress.js';
import type { Run } from '../pipeline/run.js';

/** The only event the bot's runs are started by: `workflow_dispatch` (never a push or a PR). */
export const DISPATCH_EVENT = 'workflow_dispatch';

/** What a run waiting for CI expects of the Actions run that reports to it. */
export interface ExpectedCiRun {
  runKey: string;
  branch: string;
  /** The branch head the workflow was dispatched on; `null` when the run knows none (nothing matches). */
  headSha: string | null;
}

/** An Actions run as GitHub reports it (webhook or API), the parts the match reads. */
export interface ObservedCiRun {
  /** The run key the run's title ends with (already matched as a whole token). */
  runKey: string;
  headBranch: string | null;
  headSha: string | null;
  event: string | null;
}

/** What `run` expects of its CI run, or `null` when it waits for none. */
export function expectedCiRun(run: Run): ExpectedCiRun | null {
  const status = run.status;
  if (status.kind !== 'waiting_for_ci') return null;
  const headSha = status.headSha === undefined ? headOf(run) : status.headSha;
  return { runKey: status.runKey, branch: run.branch, headSha };
}

/**
 * Why `observed` is not the run `expected` waits for, or `null` when it is: its run key, branch,
 * head commit and event must all match. A title alone proves nothing: anyone who can start a
 * workflow (a push, a pull request from a fork) can give it the run key's name.
 */
export function ciRunMismatch(expected: ExpectedCiRun, observed: ObservedCiRun): string | null {
  if (observed.runKey !== expected.runKey) return `run key ${observed.runKey}, not ${expected.runKey}`;
  if (observed.event !== DISPATCH_EVENT) return `event ${observed.event ?? 'unknown'}, not ${DISPATCH_EVENT}`;
  if (observed.headBranch !== expected.branch)
    return `branch ${observed.headBranch ?? 'unknown'}, not ${expected.branch}`;
  if (expected.headSha === null) return 'the run knows no head commit to match';
  if (observed.headSha !== expected.headSha)
    return `head ${(observed.headSha ?? 'unknown').slice(0, 12)}, not ${expected.headSha.slice(0, 12)}`;
  return null;
}
