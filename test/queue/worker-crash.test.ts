import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QUEUE_NAMES, queueConnectionOptions } from '../../src/adapters/queue/queues.js';
import type { StageJob } from '../../src/domain/pipeline/jobs.js';
import { approve, drive, newRun, REF } from '../helpers/pipeline.js';
import { redisUrl, uniquePrefix } from '../helpers/redis.js';
import { createWorkerHarness, type WorkerHarness, waitFor } from '../helpers/worker-harness.js';

const CHILD = fileURLToPath(new URL('./fixtures/worker-process.ts', import.meta.url));

function startChild(prefix: string, mode: 'hang' | 'slow'): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, PREFIX: prefix, MODE: mode, STAGE_MS: '1500', REDIS_URL: redisUrl() },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the child did not exit in time')), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Saves a run that waits for research and queues the research job, as the events worker would. */
async function queueResearch(harness: WorkerHarness): Promise<StageJob> {
  const { run, effects } = drive(newRun(), approve());
  await harness.deps.store.save(REF, { run, outbox: null, appliedEventIds: [] }, 0);
  const effect = effects.find((candidate) => candidate.type === 'enqueue_stage');
  if (effect?.type !== 'enqueue_stage') throw new Error('approve queues research');
  await harness.jobs.enqueueStage(effect.job);
  return effect.job;
}

describe('a worker process', () => {
  let harness: WorkerHarness;
  let child: ChildProcess | null = null;

  beforeEach(() => {
    harness = createWorkerHarness(uniquePrefix());
  });

  afterEach(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    child = null;
    await harness.close();
  });

  it('killed mid-job leaves a stalled job that another worker picks up and completes once', async () => {
    child = startChild(harness.prefix, 'hang');
    await waitFor(() => harness.redis.get(`${harness.prefix}:ready`), 20_000, 'the child worker');
    const job = await queueResearch(harness);
    await waitFor(
      () => harness.redis.get(`${harness.prefix}:started`),
      10_000,
      'the child to start the stage',
    );

    child.kill('SIGKILL');
    await exited(child, 5_000);
    harness.startWorkers();
    const stored = await waitFor(
      async () => {
        const current = await harness.load(REF);
        return current?.run.status.kind === 'awaiting_approval' && current.outbox === null ? current : null;
      },
      20_000,
      'the research gate',
    );

    expect(harness.stages.runs.map((run) => run.jobId)).toEqual([job.jobId]);
    expect(stored.appliedEventIds.filter((id) => id === `${job.jobId}-result`)).toHaveLength(1);
    expect(stored.run.batch.stages.research).toMatchObject({ state: 'done', attempt: 1 });
    const phases = new Queue(QUEUE_NAMES.phases, {
      connection: queueConnectionOptions(redisUrl()),
      prefix: harness.prefix,
    });
    expect(await phases.getJobState(job.jobId)).toBe('completed');
    await phases.close();
    expect(await harness.redis.get(`${harness.prefix}:finished`)).toBeNull();
  });

  it('killed mid-stage four times: the job fails for good and the run is told, so /retry can run it again', async () => {
    const job = await queueResearch(harness);
    for (let round = 1; round <= 4; round += 1) {
      await harness.redis.del(`${harness.prefix}:started`);
      child = startChild(harness.prefix, 'hang');
      await waitFor(
        () => harness.redis.get(`${harness.prefix}:started`),
        40_000,
        `the child to start the stage (round ${round})`,
      );
      child.kill('SIGKILL');
      await exited(child, 5_000);
    }

    harness.startWorkers();
    const stored = await waitFor(
      async () => {
        const current = await harness.load(REF);
        return current?.run.status.kind === 'failed' && current.outbox === null ? current : null;
      },
      20_000,
      'the failed research stage',
    );

    expect(stored.run.status).toMatchObject({ kind: 'failed', stage: 'research' });
    expect(stored.run.status.kind === 'failed' ? stored.run.status.reason : '').toMatch(
      /^The research job was lost: its worker stopped responding too many times \(killed or cut off[^)]*\), so it was not run again\. `\/retry` runs the stage again\.$/,
    );
    expect(stored.appliedEventIds).toContain(`${job.jobId}-result`);
    expect(harness.stages.runs).toEqual([]);
  }, 180_000);

  it('sent SIGTERM finishes the running job before it exits', async () => {
    child = startChild(harness.prefix, 'slow');
    await waitFor(() => harness.redis.get(`${harness.prefix}:ready`), 20_000, 'the child worker');
    const job = await queueResearch(harness);
    await waitFor(
      () => harness.redis.get(`${harness.prefix}:started`),
      10_000,
      'the child to start the stage',
    );

    child.kill('SIGTERM');
    const code = await exited(child, 15_000);

    expect(code).toBe(0);
    expect(await harness.redis.get(`${harness.prefix}:finished`)).not.toBeNull();
    const phases = new Queue(QUEUE_NAMES.phases, {
      connection: queueConnectionOptions(redisUrl()),
      prefix: harness.prefix,
    });
    const events = new Queue(QUEUE_NAMES.events, {
      connection: queueConnectionOptions(redisUrl()),
      prefix: harness.prefix,
    });
    expect(await phases.getJobState(job.jobId)).toBe('completed');
    expect(['waiting', 'completed']).toContain(await events.getJobState(`${job.jobId}-result`));
    await Promise.all([phases.close(), events.close()]);
  });
});
