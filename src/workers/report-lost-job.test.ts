import { describe, expect, it } from 'vitest';
import { RecordingJobQueue } from '../../test/fakes/recording-job-queue.js';
import { approve, drive, NOW, newRun, runAtGate } from '../../test/helpers/pipeline.js';
import { transition } from '../domain/pipeline/transition.js';
import { createLogger } from '../logging.js';
import { reportLostJob } from './report-lost-job.js';
import type { WorkerDeps } from './worker-deps.js';

function depsWith(jobs: RecordingJobQueue): WorkerDeps {
  return { jobs, log: createLogger({ level: 'silent' }) } as unknown as WorkerDeps;
}

/** Applies every event the reporter queued to `run`, as the events worker would. */
function applyQueued(jobs: RecordingJobQueue, run: ReturnType<typeof newRun>) {
  let current = run;
  for (const job of jobs.list()) {
    if (job.kind === 'run_event') current = transition(current, job.event, NOW).run;
  }
  return current;
}

describe('reportLostJob', () => {
  it('fails the running stage of a lost stage job with the cause, so /retry applies', async () => {
    const { run, effects } = drive(newRun(), approve());
    const stage = effects.find((effect) => effect.type === 'enqueue_stage');
    if (stage?.type !== 'enqueue_stage') throw new Error('approve queues research');
    const jobs = new RecordingJobQueue();

    const outcome = await reportLostJob(depsWith(jobs), {
      kind: 'stage',
      data: stage.job,
      failedReason: 'job stalled more than allowable limit',
    });

    expect(outcome).toBe('reported_stage');
    expect([...jobs.events.keys()]).toEqual([`${stage.job.jobId}-result`]);
    const failed = applyQueued(jobs, run);
    expect(failed.status).toMatchObject({ kind: 'failed', stage: 'research' });
    expect(failed.status.kind === 'failed' ? failed.status.reason : '').toContain(
      '(killed or cut off: job stalled more than allowable limit)',
    );
  });

  it('fails the gate of a lost moved-head re-check instead of leaving the run verifying', async () => {
    const moved = 'f'.repeat(40);
    const { run, effects } = drive(runAtGate('implement'), approve({ headSha: moved }));
    const verification = effects.find((effect) => effect.type === 'enqueue_verification');
    if (verification?.type !== 'enqueue_verification') throw new Error('a moved head is re-checked');
    const jobs = new RecordingJobQueue();

    await reportLostJob(depsWith(jobs), { kind: 'verification', data: verification.job, failedReason: '' });

    expect(applyQueued(jobs, run).status).toMatchObject({ kind: 'failed', stage: 'implement' });
  });

  it('reports nothing for data it cannot read or a job that gates nothing', async () => {
    const jobs = new RecordingJobQueue();

    expect(await reportLostJob(depsWith(jobs), { kind: 'stage', data: { jobId: 1 }, failedReason: '' })).toBe(
      'ignored_invalid_data',
    );
    expect(await reportLostJob(depsWith(jobs), { kind: 'other', data: {}, failedReason: '' })).toBe(
      'ignored_kind',
    );
    expect(jobs.list()).toEqual([]);
  });
});
