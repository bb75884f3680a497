import type { RunEvent } from './events.js';
import { openGate } from './gates.js';
import { failStage } from './on-stage-result.js';
import type { Outcome } from './outcome.js';
import { unchanged } from './outcome.js';
import { advancePast, completeBatch, hasKeptFeedback, startStage, updateStage } from './progress.js';
import type { CiRunRecord, Run } from './run.js';

type CiEvent = Extract<RunEvent, { type: 'ci_completed' }>;

/** An Actions run finished: route it by the stage that dispatched it. */
export function onCiCompleted(run: Run, event: CiEvent): Outcome {
  if (run.status.kind !== 'waiting_for_ci' || run.status.runKey !== event.runKey) {
    return unchanged(run, {
      type: 'log',
      level: 'warn',
      message: 'Ignored a CI result the run is not waiting for',
      details: { runKey: event.runKey, status: run.status.kind },
    });
  }
  const recorded = recordCiRun(run, event);
  const green = event.conclusion === 'success' && event.problem === null;
  switch (run.status.stage) {
    case 'test':
      return green ? onTestsGreen(recorded, event) : onTestsRed(recorded, event);
    case 'package':
      return green
        ? completeBatch(recorded)
        : failStage(recorded, 'package', ciFailureReason(event, 'package build'));
    case 'auth':
      return green ? onAuthVerified(recorded) : onAuthRejected(recorded, event);
    default:
      return failStage(recorded, run.status.stage, `Unexpected CI result for ${run.status.stage}.`);
  }
}

function recordCiRun(run: Run, event: CiEvent): Run {
  const passed = event.tests.filter((test) => test.outcome === 'passed').length;
  const failed = event.tests.filter((test) => test.outcome === 'failed' || test.outcome === 'error').length;
  const ciRuns = run.ciRuns.map(
    (record): CiRunRecord =>
      record.runKey === event.runKey
        ? {
            ...record,
            url: event.url,
            conclusion: event.conclusion,
            passed,
            failed,
            ...(event.gates === undefined ? {} : { gates: event.gates }),
            ...(event.artifactUrl == null ? {} : { artifactUrl: event.artifactUrl }),
          }
        : record,
  );
  return { ...run, ciRuns };
}

function ciFailureReason(event: CiEvent, what: string): string {
  if (event.problem) return event.problem;
  const failing = event.tests.filter((test) => test.outcome === 'failed' || test.outcome === 'error');
  const names = failing.slice(0, 10).map((test) => `\`${test.name}\``);
  const link = event.url ? ` ([CI run](${event.url}))` : '';
  if (failing.length === 0) return `The ${what} ended with conclusion \`${event.conclusion}\`${link}.`;
  return `The ${what} failed${link}: ${failing.length} failing test(s): ${names.join(', ')}${failing.length > 10 ? ', …' : ''}.`;
}

function onTestsGreen(run: Run, event: CiEvent): Outcome {
  const headSha = run.batch.stages.test.commitSha ?? '';
  const ciRuns = run.ciRuns.filter((record) => record.stage === 'test' && record.batch === run.batch.number);
  const cleared: Run = { ...run, lastCiFailure: null };
  return openGate(cleared, 'test', headSha, {
    kind: 'tests',
    batch: run.batch.number,
    headSha,
    tests: event.tests,
    ciRuns,
  });
}

/** Red tests: the tester gets the failure and tries again, up to `maxTestIterations` CI runs. */
function onTestsRed(run: Run, event: CiEvent): Outcome {
  if (event.problem !== null || event.conclusion === 'timed_out' || event.conclusion === 'cancelled') {
    return failStage(run, 'test', ciFailureReason(event, 'test run'), event.tests);
  }
  const failure = { runKey: event.runKey, url: event.url, tests: event.tests, logExcerpt: event.logExcerpt };
  const withFailure: Run = { ...run, lastCiFailure: failure };
  if (run.testIterations >= run.settings.maxTestIterations) {
    const reason = `Tests still fail after ${run.testIterations} CI run(s), the limit set by \`maxTestIterations\`. ${ciFailureReason(event, 'last test run')}`;
    return failStage(withFailure, 'test', reason, event.tests);
  }
  return startStage(withFailure, 'test');
}

function onAuthVerified(run: Run): Outcome {
  const verified = updateStage({ ...run, auth: 'verified' }, 'auth', { note: 'live check passed' });
  return advancePast(verified, 'auth');
}

/** The live auth check failed: the run stays at the credentials gate and says what went wrong. */
function onAuthRejected(run: Run, event: CiEvent): Outcome {
  const headSha = run.batch.stages.auth.commitSha;
  const problem = ciFailureReason(event, 'live auth check');
  if (hasKeptFeedback(run, 'auth')) return startStage(run, 'auth');
  return {
    run: { ...run, status: { kind: 'awaiting_credentials', headSha, lastCheck: 'failed' } },
    effects: [
      {
        type: 'post_summary',
        key: `credentials-${event.id}`,
        summary: { kind: 'credentials', headSha, lastCheck: 'failed', problem },
      },
    ],
  };
}
