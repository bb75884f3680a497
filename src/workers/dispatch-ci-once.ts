import { setTimeout as sleep } from 'node:timers/promises';
import { expectedCiRun } from '../domain/ci/ci-run-match.js';
import type { Effect } from '../domain/pipeline/effects.js';
import type { Run } from '../domain/pipeline/run.js';
import { isRetryable } from '../errors.js';
import { runLogId } from '../logging.js';
import type { CiPort } from '../ports/ci.js';
import { enqueueFirstCiPoll } from './ci-poll-queue.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * How long to look for the run after a dispatch failed in a way GitHub may still have applied
 * (a 5xx, no answer): GitHub lists a dispatched run within seconds, not at once. Waits between
 * look-ups, in milliseconds; about 5 s in all, under the run lock, and only after such a failure.
 */
export const LOOK_AGAIN_AFTER_FAILED_DISPATCH_MS: readonly number[] = [1_000, 2_000, 2_000];

/**
 * Carries out `dispatch_ci` so the workflow runs once per run key: looks the run up by its key
 * first (an earlier attempt dispatched it, then crashed or failed before the outbox was cleared);
 * dispatches (the port sends it once, never re-sent by a transport retry); when the dispatch fails
 * transiently, looks again for a while before giving up, since the failure may have come after
 * GitHub started the run. Then queues the first poll (the fallback for a lost `workflow_run`
 * webhook, and the CI timeouts: `on-ci-poll-job.ts`). A dispatch that can never succeed (no Actions
 * adapter, the workflow file missing, no permission) is reported to the run as a failed CI result,
 * so the stage fails with the reason instead of the run waiting forever.
 */
export async function dispatchCiOnce(
  deps: WorkerDeps,
  run: Run,
  effect: Extract<Effect, { type: 'dispatch_ci' }>,
  lookAgainMs: readonly number[] = LOOK_AGAIN_AFTER_FAILED_DISPATCH_MS,
): Promise<void> {
  const dispatchedAt = deps.clock.now().toISOString();
  const ci = deps.ci(run.ref);
  const log = { run: runLogId(run.ref), runKey: effect.runKey };
  try {
    if (await alreadyDispatched(ci, run, effect.runKey)) {
      deps.log.info(log, 'CI run already dispatched under this key; not dispatching again');
    } else {
      await dispatchOrLookAgain(ci, run, effect, lookAgainMs);
    }
  } catch (error) {
    if (isRetryable(error)) throw error;
    await reportDispatchFailure(deps, run, effect.runKey, error);
    return;
  }
  await enqueueFirstCiPoll(deps, { ref: run.ref, runKey: effect.runKey, dispatchedAt });
}

async function dispatchOrLookAgain(
  ci: CiPort,
  run: Run,
  effect: Extract<Effect, { type: 'dispatch_ci' }>,
  lookAgainMs: readonly number[],
): Promise<void> {
  try {
    await ci.dispatch({
      branch: run.branch,
      source: run.source,
      mode: effect.mode,
      runKey: effect.runKey,
      environment: run.settings.environment,
      layout: run.settings.layout,
    });
  } catch (error) {
    if (!isRetryable(error)) throw error;
    for (const wait of lookAgainMs) {
      await sleep(wait);
      // A failed look-up says nothing new: the dispatch's error is the one to report.
      if (await alreadyDispatched(ci, run, effect.runKey).catch(() => false)) return;
    }
    throw error;
  }
}

/** Tells the run its CI could not start, as a failed CI result the maintainer can `/retry`. */
async function reportDispatchFailure(
  deps: WorkerDeps,
  run: Run,
  runKey: string,
  error: unknown,
): Promise<void> {
  const id = `${runKey}-dispatch-failed`;
  const problem = `The CI run could not be started: ${error instanceof Error ? error.message : String(error)}`;
  await deps.jobs.enqueueEvent(id, {
    kind: 'run_event',
    ref: run.ref,
    event: {
      type: 'ci_completed',
      id,
      runKey,
      conclusion: 'failure',
      url: null,
      tests: [],
      logExcerpt: '',
      problem: problem.slice(0, 2_000),
    },
  });
}

/**
 * True when the Actions run of `runKey` already exists. Looked up as the run expects it (key,
 * branch, head, event), so a run of an older head under a reused key does not count.
 */
async function alreadyDispatched(ci: CiPort, run: Run, runKey: string): Promise<boolean> {
  const expected = expectedCiRun(run);
  if (expected === null || expected.runKey !== runKey) return false;
  return (await ci.findRun(runKey, expected)) !== null;
}
