import { Job, Queue, Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BullmqWorkers, startBullmqWorkers } from '../../src/adapters/queue/bullmq-workers.js';
import { startLostJobSweep } from '../../src/adapters/queue/lost-job-sweep.js';
import {
  JOB_NAMES,
  QUEUE_NAMES,
  queueConnectionOptions,
  workerConnectionOptions,
} from '../../src/adapters/queue/queues.js';
import { STALLED_FOR_GOOD } from '../../src/adapters/queue/requeue-lost-event.js';
import { createLogger } from '../../src/logging.js';
import type { LostJob } from '../../src/workers/report-lost-job.js';
import { approve, drive, newRun, REF, researchJob } from '../helpers/pipeline.js';
import { createTestRedis, obliterateQueues, redisUrl, uniquePrefix } from '../helpers/redis.js';
import { createWorkerHarness, type WorkerHarness, waitFor } from '../helpers/worker-harness.js';

const HOUR = 60 * 60_000;

/**
 * A phases job BullMQ failed for good, as its stalled check does when a worker died mid-job too
 * often (the job taken by a bare worker, then failed with BullMQ's own reason, no attempt left).
 */
async function failJob(
  queue: Queue,
  worker: Worker,
  params: { id: string; name: string; reason: string; data?: unknown },
) {
  await queue.add(params.name, params.data ?? researchJob(), { jobId: params.id, attempts: 1 });
  const token = `token-${params.id}`;
  const job = await worker.getNextJob(token);
  if (job?.id !== params.id) throw new Error(`expected to take ${params.id}, took ${job?.id}`);
  await job.moveToFailed(new Error(params.reason), token, false);
}

describe('the lost-job sweep', () => {
  let prefix: string;
  let queue: Queue;
  let worker: Worker;

  beforeEach(() => {
    prefix = uniquePrefix();
    queue = new Queue(QUEUE_NAMES.phases, { connection: queueConnectionOptions(redisUrl()), prefix });
    worker = new Worker(QUEUE_NAMES.phases, null, {
      connection: workerConnectionOptions(redisUrl()),
      prefix,
      autorun: false,
    });
  });

  afterEach(async () => {
    await worker.close();
    await queue.close();
    const redis = createTestRedis();
    await obliterateQueues(redis, { prefix, names: [QUEUE_NAMES.phases] });
    await redis.quit();
  });

  it('reports, at its start, each stage or verification job failed for stalling, and nothing else', async () => {
    await failJob(queue, worker, { id: 'stage-1', name: JOB_NAMES.stage, reason: STALLED_FOR_GOOD });
    await failJob(queue, worker, { id: 'verify-1', name: JOB_NAMES.verification, reason: STALLED_FOR_GOOD });
    await failJob(queue, worker, { id: 'stage-2', name: JOB_NAMES.stage, reason: 'the model refused' });
    await failJob(queue, worker, { id: 'review-1', name: JOB_NAMES.selfReview, reason: STALLED_FOR_GOOD });
    const reported: Array<{ jobId: string; kind: LostJob['kind'] }> = [];

    const sweep = startLostJobSweep({
      connection: queueConnectionOptions(redisUrl()),
      prefix,
      report: async (lost, jobId) => {
        reported.push({ jobId, kind: lost.kind });
      },
      log: createLogger({ level: 'silent' }),
    });
    await sweep.stop();

    expect(reported.sort((a, b) => a.jobId.localeCompare(b.jobId))).toEqual([
      { jobId: 'stage-1', kind: 'stage' },
      { jobId: 'verify-1', kind: 'verification' },
    ]);
  });

  it('leaves jobs that failed before its look-back alone', async () => {
    await failJob(queue, worker, { id: 'stage-old', name: JOB_NAMES.stage, reason: STALLED_FOR_GOOD });
    const reported: string[] = [];

    const sweep = startLostJobSweep({
      connection: queueConnectionOptions(redisUrl()),
      prefix,
      report: async (_lost, jobId) => {
        reported.push(jobId);
      },
      log: createLogger({ level: 'silent' }),
      now: () => Date.now() + 25 * HOUR,
    });
    await sweep.stop();

    expect(reported).toEqual([]);
  });

  describe('for events jobs', () => {
    let events: Queue;
    let eventsWorker: Worker;

    beforeEach(() => {
      events = new Queue(QUEUE_NAMES.events, { connection: queueConnectionOptions(redisUrl()), prefix });
      eventsWorker = new Worker(QUEUE_NAMES.events, null, {
        connection: workerConnectionOptions(redisUrl()),
        prefix,
        autorun: false,
      });
    });

    afterEach(async () => {
      await eventsWorker.close();
      await events.close();
      const redis = createTestRedis();
      await obliterateQueues(redis, { prefix, names: [QUEUE_NAMES.events] });
      await redis.quit();
    });

    const sweepOnce = async () => {
      const sweep = startLostJobSweep({
        connection: queueConnectionOptions(redisUrl()),
        prefix,
        report: async () => undefined,
        log: createLogger({ level: 'silent' }),
      });
      await sweep.stop();
    };

    it('queues a job failed for stalling again under a new id, and leaves other failures alone', async () => {
      const request = { kind: 'issue_request', note: 'the data goes along unchanged' };
      await failJob(events, eventsWorker, {
        id: 'delivery-1',
        name: 'event',
        reason: STALLED_FOR_GOOD,
        data: request,
      });
      await failJob(events, eventsWorker, {
        id: 'delivery-2',
        name: 'event',
        reason: 'a bad payload',
        data: {},
      });

      await sweepOnce();
      await sweepOnce();

      const again = await events.getJob('delivery-1~again-1');
      expect(again?.data).toEqual(request);
      expect(await again?.getState()).toBe('waiting');
      expect(await events.getJob('delivery-1')).toBeUndefined();
      expect(await events.getJob('delivery-1~again-2')).toBeUndefined();
      expect(await (await events.getJob('delivery-2'))?.getState()).toBe('failed');
    });

    it('gives a job up after three requeues', async () => {
      await failJob(events, eventsWorker, {
        id: 'delivery-3~again-3',
        name: 'event',
        reason: STALLED_FOR_GOOD,
        data: {},
      });

      await sweepOnce();

      expect(await events.getJob('delivery-3~again-3')).toBeUndefined();
      expect(await events.getJob('delivery-3~again-4')).toBeUndefined();
      expect(await events.getWaitingCount()).toBe(0);
    });
  });
});

/**
 * BullMQ reports a job past its stall limit with a `failed` event (its `stalled` event names only
 * jobs moved back to wait), so the workers' own listeners act on `failed` at once; the sweep
 * (here told to look back nowhere) would otherwise find the job only after the next restart.
 */
describe("the workers' listeners, when BullMQ fails a job for stalling", () => {
  let harness: WorkerHarness;
  let workers: BullmqWorkers | undefined;
  let bare: Record<'events' | 'phases', { queue: Queue; worker: Worker }>;

  beforeEach(() => {
    harness = createWorkerHarness(uniquePrefix());
    const open = (name: 'events' | 'phases') => ({
      queue: new Queue(QUEUE_NAMES[name], {
        connection: queueConnectionOptions(redisUrl()),
        prefix: harness.prefix,
      }),
      worker: new Worker(QUEUE_NAMES[name], null, {
        connection: workerConnectionOptions(redisUrl()),
        prefix: harness.prefix,
        autorun: false,
      }),
    });
    bare = { events: open('events'), phases: open('phases') };
  });

  afterEach(async () => {
    await workers?.close();
    for (const { queue, worker } of Object.values(bare)) {
      await worker.close();
      await queue.close();
    }
    await harness.close();
  });

  function startWorkers(): BullmqWorkers {
    workers = startBullmqWorkers(harness.deps, {
      connection: workerConnectionOptions(redisUrl()),
      prefix: harness.prefix,
      lostJobSweep: { lookbackMs: 0 },
    });
    return workers;
  }

  /** The worker of `name` hears BullMQ fail job `id` for stalling, as its stalled check announces it. */
  async function announceFailed(
    started: BullmqWorkers,
    name: 'events' | 'phases',
    id: string,
  ): Promise<void> {
    const job = await Job.fromId(bare[name].queue, id);
    const worker = started.workers.find((candidate) => candidate.name === QUEUE_NAMES[name]);
    if (job === undefined || worker === undefined) throw new Error(`no ${name} job ${id} or worker`);
    worker.emit('failed', job, new Error(STALLED_FOR_GOOD), 'active');
  }

  it('queues an events job again at once', async () => {
    await failJob(bare.events.queue, bare.events.worker, {
      id: 'delivery-stalled',
      name: JOB_NAMES.event,
      reason: STALLED_FOR_GOOD,
      data: { kind: 'rebuild', ref: REF },
    });
    const started = startWorkers();

    await announceFailed(started, 'events', 'delivery-stalled');

    const again = await waitFor(
      () => bare.events.queue.getJob('delivery-stalled~again-1'),
      10_000,
      'the job queued again',
    );
    expect(again.data).toEqual({ kind: 'rebuild', ref: REF });
  });

  it('tells the run of a stage job at once, so /retry can run it again', async () => {
    const { run } = drive(newRun(), approve());
    await harness.deps.store.save(REF, { run, outbox: null, appliedEventIds: [] }, 0);
    const job = researchJob();
    await failJob(bare.phases.queue, bare.phases.worker, {
      id: job.jobId,
      name: JOB_NAMES.stage,
      reason: STALLED_FOR_GOOD,
      data: job,
    });
    const started = startWorkers();

    await announceFailed(started, 'phases', job.jobId);

    const failed = await waitFor(
      async () => {
        const stored = await harness.load(REF);
        return stored?.run.status.kind === 'failed' ? stored : null;
      },
      10_000,
      'the run told of its lost stage',
    );
    expect(failed.run.status).toMatchObject({ kind: 'failed', stage: 'research' });
  });
});
