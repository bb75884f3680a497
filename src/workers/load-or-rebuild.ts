import { isSameRun, type RunRef } from '../domain/pipeline/run.js';
import { parseStateMarker } from '../domain/render/markers.js';
import { runLogId } from '../logging.js';
import type { StoredRun } from '../ports/run-store.js';
import { flushOutbox } from './apply-run-event.js';
import { replayLostCommands } from './replay-lost-commands.js';
import { resumeAfterRebuild } from './resume-after-rebuild.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * The stored run (its pending outbox carried out first), or, when Redis lost it, the run rebuilt from the state marker in the bot's own
 * status comment (found by marker and author, so a forged comment cannot seed it) and saved again.
 * What the run was waiting on is queued again (`resumeAfterRebuild`), unless the caller is that
 * work itself (`resume: false`, a CI poll that goes on polling). Commands people wrote after the
 * point the marker shows are queued again (`replayLostCommands`), except `commentId`'s, the
 * command being applied. `null` when neither exists.
 */
export async function loadOrRebuild(
  deps: WorkerDeps,
  ref: RunRef,
  options: { resume?: boolean; commentId?: number | null } = {},
): Promise<StoredRun | null> {
  const stored = await deps.store.load(ref);
  // Effects a crashed or failed job saved but did not carry out are owed whatever this job does next
  // (it may find its event stale and apply nothing): the status comment must not lag the run.
  if (stored !== null) return stored.outbox === null ? stored : flushOutbox(deps, ref, stored);
  const status = await deps.github(ref).findComment({ issue: ref.issue, key: 'status' });
  const run = status === null ? null : parseStateMarker(status.body);
  if (run === null || !isSameRun(run.ref, ref)) return null;
  const record = { run, outbox: null, appliedEventIds: [] };
  const version = await deps.store.save(ref, record, 0);
  deps.log.warn({ run: runLogId(ref), status: run.status.kind }, 'Run rebuilt from its status comment');
  if (options.resume !== false) await resumeAfterRebuild(deps, run);
  await replayLostCommands(deps, run, options.commentId ?? null);
  return { ...record, version };
}

/** True unless the event came from a PR that is not the run's own PR. */
export function isFromRunPullRequest(runPullRequest: number | null, via: number | null | undefined): boolean {
  return via === null || via === undefined || runPullRequest === via;
}
