import { describe, expect, it } from 'vitest';
import { RecordingJobQueue } from '../../test/fakes/recording-job-queue.js';
import { approve, drive, runAtGate, succeeded } from '../../test/helpers/pipeline.js';
import type { Run } from '../domain/pipeline/run.js';
import { createLogger } from '../logging.js';
import { resumeAfterRebuild } from './resume-after-rebuild.js';
import type { WorkerDeps } from './worker-deps.js';

function resume(run: Run) {
  const jobs = new RecordingJobQueue();
  const deps = {
    jobs,
    clock: { now: () => new Date('2026-12-03T12:00:00Z') },
    log: createLogger({ level: 'silent' }),
  } as unknown as WorkerDeps;
  return { jobs, outcome: resumeAfterRebuild(deps, run) };
}

describe('resumeAfterRebuild', () => {
  it('polls again the CI run a rebuilt run waits for', async () => {
    const waiting = drive(runAtGate('implement'), approve(), (r) => succeeded(r)).run;
    if (waiting.status.kind !== 'waiting_for_ci') throw new Error('expected a CI wait');

    const { jobs, outcome } = resume(waiting);

    expect(await outcome).toBe('resumed_waiting_for_ci');
    expect(jobs.list()).toMatchObject([{ kind: 'ci_poll', runKey: waiting.status.runKey, attempt: 1 }]);
  });

  it('queues again the re-check of a moved head', async () => {
    const moved = 'f'.repeat(40);
    const verifying = drive(runAtGate('implement'), approve({ headSha: moved })).run;

    const { jobs, outcome } = resume(verifying);

    expect(await outcome).toBe('resumed_verifying');
    expect(jobs.verifications).toMatchObject([
      { stage: 'implement', headSha: moved, tables: ['contacts', 'deals'] },
    ]);
  });

  it('queues nothing for a run at a gate, which waits for a person', async () => {
    const { jobs, outcome } = resume(runAtGate('implement'));

    expect(await outcome).toBe('nothing_in_flight');
    expect(jobs.list()).toEqual([]);
    expect(jobs.stages).toEqual([]);
  });
});
