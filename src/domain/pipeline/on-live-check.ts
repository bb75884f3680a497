import { ciFailureReason } from './ci-failure-reason.js';
import type { RunEvent } from './events.js';
import type { Outcome } from './outcome.js';
import { dispatchCi } from './progress.js';
import type { Run } from './run.js';

type CiEvent = Extract<RunEvent, { type: 'ci_completed' }>;

/**
 * `/approve` on a finished run whose live check was skipped (`/skip-auth`): dispatch the workflow in
 * `live` mode (the `lakeflow-live` environment, `CONNECTOR_TEST_CONFIG_JSON`). Each check gets its
 * own run key: the attempt counts on past the test stage's, one per live check of the batch; it runs
 * on `headSha`, the branch head the `/approve` saw.
 */
export function startLiveCheck(run: Run, headSha: string | null): Outcome {
  const earlier = run.ciRuns.filter((record) => record.mode === 'live' && record.batch === run.batch.number);
  return dispatchCi(run, 'test', 'live', run.batch.stages.test.attempt + earlier.length, headSha);
}

/**
 * The live check finished: the run is done again either way. Passed: live testing is verified and
 * the `needs-live-testing` label goes; failed: the summary says why, and `/approve` may try again.
 */
export function onLiveChecked(run: Run, event: CiEvent, green: boolean): Outcome {
  const done: Run = { ...run, status: { kind: 'done' }, ...(green ? { auth: 'verified' as const } : {}) };
  const summary = {
    type: 'post_summary' as const,
    key: `live-check-${event.runKey}`,
    summary: {
      kind: 'live_check' as const,
      passed: green,
      url: event.url,
      tests: event.tests,
      reason: green ? null : ciFailureReason(event, 'live test run'),
    },
  };
  if (!green) return { run: done, effects: [summary] };
  return {
    run: done,
    effects: [{ type: 'set_labels', add: [], remove: [run.settings.needsLiveTestingLabel] }, summary],
  };
}
