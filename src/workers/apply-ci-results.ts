import type { RunEvent } from '../domain/pipeline/events.js';
import type { RunRef } from '../domain/pipeline/run.js';
import { isRetryable } from '../errors.js';
import type { CiResults } from '../ports/ci.js';
import type { StoredRun } from '../ports/run-store.js';
import { applyRunEvent } from './apply-run-event.js';
import { commitRegeneratedSource } from './commit-regenerated-source.js';
import type { WorkerDeps } from './worker-deps.js';

type CiCompleted = Extract<RunEvent, { type: 'ci_completed' }>;

/** A finished Actions run, as the `workflow_run` webhook or a poll saw it. */
export interface FinishedCiRun {
  /** The id the `ci_completed` event is applied under (the job id). */
  eventId: string;
  runKey: string;
  runId: number;
  /** GitHub's conclusion (`success`, `failure`, `cancelled`, `timed_out`, `neutral`, …). */
  conclusion: string | null;
  url: string;
}

/**
 * GitHub's conclusion as the run sees it: anything but success and cancelled is a failure (a job
 * that hit the workflow's own `timeout-minutes` goes to the fix loop like red tests). `timed_out`
 * is kept for the bot's own timeouts (`on-ci-poll-job.ts`), which fail the stage.
 */
export function toCiConclusion(conclusion: string | null): CiCompleted['conclusion'] {
  return conclusion === 'success' || conclusion === 'cancelled' ? conclusion : 'failure';
}

/**
 * Reads the results of a finished run through the CI port and applies them as `ci_completed`.
 * Results that can never be read (a missing or broken artifact) become the event's `problem`, so
 * the stage fails with the reason; a retryable error is rethrown so the job is retried. A package
 * run red only on a stale merged source gets CI's regenerated file committed first
 * (`commitRegeneratedSource`).
 */
export async function applyCiResults(
  deps: WorkerDeps,
  ref: RunRef,
  finished: FinishedCiRun,
  stored: StoredRun,
): Promise<'applied' | 'duplicate' | 'no_run'> {
  let results: Pick<CiCompleted, 'tests' | 'logExcerpt' | 'problem' | 'gates' | 'artifactUrl'>;
  let regenerated: CiResults['regeneratedMergedSource'];
  try {
    const read = await deps.ci(ref).getResults(finished.runId);
    regenerated = read.regeneratedMergedSource;
    const artifactUrl = read.artifactId === undefined ? null : `${finished.url}/artifacts/${read.artifactId}`;
    results = {
      tests: read.tests,
      logExcerpt: read.logExcerpt,
      problem: null,
      gates: read.gates,
      artifactUrl,
    };
  } catch (error) {
    if (isRetryable(error)) throw error;
    const problem = `The results of [the CI run](${finished.url}) could not be read: ${error instanceof Error ? error.message : String(error)}`;
    results = { tests: [], logExcerpt: '', problem: problem.slice(0, 2_000) };
  }
  const event = await commitRegeneratedSource({
    github: deps.github(ref),
    run: stored.run,
    event: {
      type: 'ci_completed',
      id: finished.eventId,
      runKey: finished.runKey,
      conclusion: toCiConclusion(finished.conclusion),
      url: finished.url,
      ...results,
    },
    regenerated,
  });
  if (event.regeneratedCommit !== undefined) {
    deps.log.info(
      { runKey: finished.runKey, commit: event.regeneratedCommit },
      'Committed the merged source file CI regenerated',
    );
  }
  return applyRunEvent(deps, ref, event, stored);
}
