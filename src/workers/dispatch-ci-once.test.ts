import { describe, expect, it } from 'vitest';
import { RecordingJobQueue } from '../../test/fakes/recording-job-queue.js';
import { REF } from '../../test/helpers/pipeline.js';
import { RUNS_IN_EACH_STATE } from '../../test/helpers/run-states.js';
import type { Run } from '../domain/pipeline/run.js';
import { ConfigError, ExternalServiceError } from '../errors.js';
import { createLogger } from '../logging.js';
import type { CiPort, CiRunInfo } from '../ports/ci.js';
import { dispatchCiOnce } from './dispatch-ci-once.js';
import type { WorkerDeps } from './worker-deps.js';

type Outcome = 'ok' | 'fails after starting' | 'fails before starting';

/** Actions whose dispatches answer as scripted; a started run is listed only after `listedAfter` look-ups. */
function scriptedCi(run: Run, outcomes: Outcome[], listedAfter = 0) {
  const started: CiRunInfo[] = [];
  let dispatches = 0;
  let lookups = 0;
  const ci: CiPort = {
    async dispatch() {
      const outcome = outcomes[dispatches] ?? 'ok';
      dispatches += 1;
      if (outcome !== 'fails before starting') {
        started.push({
          id: started.length + 1,
          url: 'https://example.test/run',
          status: 'queued',
          conclusion: null,
          headBranch: run.branch,
          headSha: run.status.kind === 'waiting_for_ci' ? (run.status.headSha ?? null) : null,
          event: 'workflow_dispatch',
        });
      }
      if (outcome !== 'ok') throw new ExternalServiceError('GitHub POST dispatches failed with 502');
    },
    async findRun() {
      lookups += 1;
      return lookups > listedAfter ? (started[0] ?? null) : null;
    },
    getResults: () => Promise.reject(new Error('not used')),
    cancelRun: () => Promise.resolve('cancelled' as const),
  };
  return { ci, started, dispatches: () => dispatches };
}

function depsWith(ci: CiPort) {
  const jobs = new RecordingJobQueue();
  const deps = {
    ci: () => ci,
    jobs,
    clock: { now: () => new Date('2026-12-04T00:00:00Z') },
    log: createLogger({ level: 'silent' }),
  } as unknown as WorkerDeps;
  return { deps, jobs };
}

function waitingRun(): Run & { status: { kind: 'waiting_for_ci' } } {
  const run = RUNS_IN_EACH_STATE.waiting_for_ci?.();
  if (run?.status.kind !== 'waiting_for_ci') throw new Error('fixture is not waiting for CI');
  return run as Run & { status: { kind: 'waiting_for_ci' } };
}

function dispatchEffect(run: Run & { status: { kind: 'waiting_for_ci' } }) {
  return {
    type: 'dispatch_ci',
    mode: 'simulate',
    stage: 'test',
    batch: 1,
    runKey: run.status.runKey,
  } as const;
}

describe('dispatchCiOnce', () => {
  it('starts the workflow once when the dispatch fails after GitHub started it, and polls it', async () => {
    const run = waitingRun();
    const actions = scriptedCi(run, ['fails after starting'], 2);
    const { deps, jobs } = depsWith(actions.ci);

    await dispatchCiOnce(deps, run, dispatchEffect(run), [0, 0, 0]);

    expect(actions.started).toHaveLength(1);
    expect(actions.dispatches()).toBe(1);
    expect(jobs.list().map((job) => job.kind)).toEqual(['ci_poll']);
  });

  it('gives the error back when no run appears, and the next attempt dispatches once more', async () => {
    const run = waitingRun();
    const actions = scriptedCi(run, ['fails before starting']);
    const { deps, jobs } = depsWith(actions.ci);
    const effect = dispatchEffect(run);

    await expect(dispatchCiOnce(deps, run, effect, [0, 0])).rejects.toThrow(/502/);
    expect(jobs.list()).toEqual([]);
    await dispatchCiOnce(deps, run, effect, [0, 0]);

    expect(actions.started).toHaveLength(1);
    expect(actions.dispatches()).toBe(2);
  });

  it('does not dispatch when an earlier attempt already started the run under this key', async () => {
    const run = waitingRun();
    const actions = scriptedCi(run, ['fails after starting']);
    const { deps } = depsWith(actions.ci);
    const effect = dispatchEffect(run);
    await actions.ci
      .dispatch({ branch: run.branch, source: run.source, mode: 'simulate', runKey: effect.runKey })
      .catch(() => undefined);

    await dispatchCiOnce(deps, run, effect, []);

    expect(actions.dispatches()).toBe(1);
  });

  it('reports a dispatch that can never succeed to the run as a failed CI result', async () => {
    const run = waitingRun();
    const ci: CiPort = {
      ...scriptedCi(run, []).ci,
      dispatch: () => Promise.reject(new ConfigError('the workflow file does not exist')),
    };
    const { deps, jobs } = depsWith(ci);

    await dispatchCiOnce(deps, run, dispatchEffect(run), []);

    expect(jobs.list()).toMatchObject([
      { kind: 'run_event', ref: REF, event: { type: 'ci_completed', conclusion: 'failure' } },
    ]);
  });
});
