import { stageJobFor } from '../domain/pipeline/progress.js';
import { verificationJobFor } from '../domain/pipeline/recheck.js';
import type { Run } from '../domain/pipeline/run.js';
import { runLogId } from '../logging.js';
import { enqueueFirstCiPoll } from './ci-poll-queue.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * A run rebuilt from its status comment lost its queued work with Redis: whatever it was waiting on
 * is queued again, so it moves on without anyone's help. A running stage gets its attempt's job
 * again (its commit, if it made one, is found by its trailer, so nothing is committed twice); a CI
 * wait is polled again (the run is found by its key, or dispatched state times out); a moved-head
 * re-check is queued again. Gates, pauses and ended runs wait for a person as before.
 */
export async function resumeAfterRebuild(deps: WorkerDeps, run: Run): Promise<string> {
  const status = run.status;
  switch (status.kind) {
    case 'running':
      await deps.jobs.enqueueStage(stageJobFor(run, status.stage, run.batch.stages[status.stage].attempt));
      break;
    case 'waiting_for_ci':
      await enqueueFirstCiPoll(deps, {
        ref: run.ref,
        runKey: status.runKey,
        dispatchedAt: deps.clock.now().toISOString(),
      });
      break;
    case 'verifying':
      await deps.jobs.enqueueVerification(verificationJobFor(run, status.gate, status.headSha));
      break;
    default:
      return 'nothing_in_flight';
  }
  deps.log.warn(
    { run: runLogId(run.ref), status: status.kind },
    'Work in flight queued again after a rebuild',
  );
  return `resumed_${status.kind}`;
}
