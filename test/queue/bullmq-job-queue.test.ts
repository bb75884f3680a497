import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BullmqJobQueue, createBullmqJobQueue } from '../../src/adapters/queue/bullmq-job-queue.js';
import {
  QUEUE_NAMES,
  queueConnectionOptions,
  workerConnectionOptions,
  workerSettings,
} from '../../src/adapters/queue/queues.js';
import { wrapProcessor } from '../../src/adapters/queue/to-queue-error.js';
import { type StageJob, type VerificationJob, verificationJobId } from '../../src/domain/pipeline/jobs.js';
import type { RunRef } from '../../src/domain/pipeline/run.js';
import { DEFAULT_LAYOUT } from '../../src/domain/target-repo/layout.js';
import { ExternalServiceError, InvariantError, UserInputError } from '../../src/errors.js';
import type { EventJob } from '../../src/workers/event-job.js';
import { startHeldRedisProxy } from '../helpers/held-redis-proxy.js';
import { researchJob } from '../helpers/pipeline.js';
import { createTestRedis, obliterateQueues, redisUrl, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

const RUN_A: RunRef = { installationId: 7, owner: 'acme', repo: 'connectors', issue: 42 };
const RUN_B: RunRef = { ...RUN_A, issue: 43 };
const WAIT_MS = 5_000;

function eventJob(text: string, ref: RunRef = RUN_A): EventJob {
  const event = {
    type: 'review_feedback' as const,
    id: `review-${text}`,
    author: 'reviewer',
    text,
    path: null,
  };
  return { kind: 'run_event', ref, event };
}

/** A webhook delivery's job (a command): deduplicated by its finished job. */
function deliveryJob(text: string): EventJob {
  return {
    kind: 'command',
    ref: RUN_A,
    id: `delivery-${text}`,
    command: { type: 'status' },
    actor: 'maintainer',
    target: { kind: 'issue', number: RUN_A.issue },
    commentId: 1,
    viaPullRequest: null,
  };
}

describe('createBullmqJobQueue', () => {
  let prefix: string;
  let redis: Redis;
  let jobs: BullmqJobQueue;
  let events: Queue;
  let phases: Queue;
  let queueEvents: QueueEvents;
  const closers: Array<() => Promise<void>> = [];

  /** Starts a real worker on `events` whose processor goes through `wrapProcessor`. */
  function startEventWorker(processor: (job: Job) => Promise<string>, concurrency = 1): void {
    const worker = new Worker(QUEUE_NAMES.events, wrapProcessor(processor), {
      connection: workerConnectionOptions(redisUrl()),
      prefix,
      ...workerSettings('events', { lockDuration: 5_000, stalledInterval: 5_000, concurrency }),
    });
    closers.unshift(() => worker.close());
  }

  async function waitUntilFinished(jobId: string): Promise<unknown> {
    const job = await events.getJob(jobId);
    if (job === undefined) throw new Error(`job ${jobId} is not stored`);
    return job.waitUntilFinished(queueEvents, WAIT_MS);
  }

  beforeEach(async () => {
    prefix = uniquePrefix();
    redis = createTestRedis();
    jobs = createBullmqJobQueue({
      connection: queueConnectionOptions(redisUrl()),
      prefix,
      jobOptions: { events: { backoff: { type: 'fixed', delay: 20 } } },
    });
    events = new Queue(QUEUE_NAMES.events, { connection: redis, prefix });
    phases = new Queue(QUEUE_NAMES.phases, { connection: redis, prefix });
    queueEvents = new QueueEvents(QUEUE_NAMES.events, {
      connection: workerConnectionOptions(redisUrl()),
      prefix,
    });
    await queueEvents.waitUntilReady();
    closers.push(
      () => queueEvents.close(),
      () => jobs.close(),
      () => events.close(),
      () => phases.close(),
    );
  });

  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await obliterateQueues(redis, { prefix, names: Object.values(QUEUE_NAMES) });
    await redis.quit();
  });

  describe('when the same event id is enqueued twice', () => {
    it('runs it once and keeps the first data while it waits', async () => {
      await jobs.enqueueEvent('delivery-1', eventJob('first'));
      await jobs.enqueueEvent('delivery-1', eventJob('second'));
      const calls: string[] = [];

      startEventWorker(async (job) => {
        calls.push(`${job.id}`);
        return 'ok';
      });
      await waitUntilFinished('delivery-1');

      expect(calls).toEqual(['delivery-1']);
      expect((await events.getJob('delivery-1'))?.data).toEqual(eventJob('first'));
    });

    it('does not run it again after it completed', async () => {
      const calls: string[] = [];
      startEventWorker(async (job) => {
        calls.push(`${job.id}`);
        return 'ok';
      });
      await jobs.enqueueEvent('delivery-1', deliveryJob('first'));
      await waitUntilFinished('delivery-1');

      await jobs.enqueueEvent('delivery-1', deliveryJob('redelivered'));
      await jobs.enqueueEvent('delivery-2', deliveryJob('next'));
      await waitUntilFinished('delivery-2');

      expect(calls).toEqual(['delivery-1', 'delivery-2']);
    });
  });

  describe('when a new event id is enqueued', () => {
    it('sends the add without waiting for the look-up of finished jobs, so Redis is waited on once', async () => {
      const proxy = await startHeldRedisProxy(new URL(redisUrl()));
      const viaProxy = createBullmqJobQueue({ connection: queueConnectionOptions(proxy.url), prefix });
      closers.unshift(
        () => proxy.close(),
        () => viaProxy.close(),
      );
      // The first add loads BullMQ's scripts; the one measured uses them.
      await viaProxy.enqueueEvent('warm-up', deliveryJob('warm-up'));

      proxy.hold();
      const enqueued = viaProxy.enqueueEvent('one-wait', deliveryJob('sent-before-any-answer'));
      try {
        await waitFor(
          async () => proxy.heldText().includes('sent-before-any-answer'),
          2_000,
          'the add to go out while the look-up is unanswered',
        );
      } finally {
        proxy.release();
      }
      await enqueued;

      expect((await events.getJob('one-wait'))?.data).toEqual(deliveryJob('sent-before-any-answer'));
    });
  });

  describe('when the job is invalid', () => {
    it('refuses invalid data before it reaches Redis', async () => {
      const bad = { ...eventJob('x'), ref: { ...RUN_A, issue: -1 } };

      await expect(jobs.enqueueEvent('delivery-bad', bad)).rejects.toBeInstanceOf(InvariantError);
      await expect(
        jobs.enqueueStage({ ...researchJob(RUN_A), stage: 'deploy' } as unknown as StageJob),
      ).rejects.toThrow(/invalid data/);

      expect(await events.getJob('delivery-bad')).toBeUndefined();
      expect(await events.count()).toBe(0);
      expect(await phases.count()).toBe(0);
    });

    it.each([
      ['contains a colon', 'delivery:1', /contains ':'/],
      ['is all digits', '12345', /all digits/],
    ])('refuses an id that %s', async (_, jobId, message) => {
      await expect(jobs.enqueueEvent(jobId, eventJob('x'))).rejects.toThrow(message);

      expect(await events.count()).toBe(0);
    });
  });

  describe('when the processor fails', () => {
    it('retries a retryable error and then completes', async () => {
      let calls = 0;
      startEventWorker(async () => {
        calls += 1;
        if (calls < 3) throw new ExternalServiceError('GitHub answered 502');
        return 'done';
      });

      await jobs.enqueueEvent('delivery-retry', eventJob('x'));

      await expect(waitUntilFinished('delivery-retry')).resolves.toBe('done');
      expect(calls).toBe(3);
      expect(await events.getJobState('delivery-retry')).toBe('completed');
    });

    it('fails a non-retryable BotError on the first attempt', async () => {
      let calls = 0;
      startEventWorker(async () => {
        calls += 1;
        throw new UserInputError('Unknown table "x"');
      });

      await jobs.enqueueEvent('delivery-user-error', eventJob('x'));

      await expect(waitUntilFinished('delivery-user-error')).rejects.toThrow('Unknown table "x"');
      const job = await events.getJob('delivery-user-error');
      expect(calls).toBe(1);
      expect(await events.getJobState('delivery-user-error')).toBe('failed');
      expect(job?.attemptsMade).toBe(1);
      expect(job?.opts.attempts).toBeGreaterThan(1);
    });
  });

  describe('when an event job failed for good', () => {
    it('queues it again under the same id, so it is not blocked forever', async () => {
      let calls = 0;
      startEventWorker(async () => {
        calls += 1;
        if (calls === 1) throw new UserInputError('the first try fails for good');
        return 'done';
      });
      await jobs.enqueueEvent('pr-linked-7', eventJob('x'));
      await expect(waitUntilFinished('pr-linked-7')).rejects.toThrow('fails for good');

      await jobs.enqueueEvent('pr-linked-7', eventJob('again'));

      await expect(waitUntilFinished('pr-linked-7')).resolves.toBe('done');
      expect(calls).toBe(2);
      expect((await events.getJob('pr-linked-7'))?.data).toEqual(eventJob('again'));
    });
  });

  describe('when events share a coalesce key', () => {
    const KEY = { coalesceKey: 'dashboard-7-acme-connectors' };

    it('adds nothing while one of the key waits, and queues the next once it has run', async () => {
      await jobs.enqueueEvent('coalesced-1', eventJob('first'), { ...KEY, delayMs: 200 });
      await jobs.enqueueEvent('coalesced-2', eventJob('second'), { ...KEY, delayMs: 200 });
      await jobs.enqueueEvent('coalesced-3', eventJob('third'), KEY);
      const calls: string[] = [];
      startEventWorker(async (job) => {
        calls.push(`${job.id}`);
        return 'ok';
      });

      await waitUntilFinished('coalesced-1');
      await jobs.enqueueEvent('coalesced-4', eventJob('fourth'), KEY);
      await waitUntilFinished('coalesced-4');

      expect(calls).toEqual(['coalesced-1', 'coalesced-4']);
      expect(await events.getJob('coalesced-2')).toBeUndefined();
      expect(await events.getJob('coalesced-3')).toBeUndefined();
    });

    it('keeps the last one added while one runs and queues it when that one ends, never beside it', async () => {
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const calls: string[] = [];
      let running = 0;
      let mostAtOnce = 0;
      startEventWorker(async (job) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        calls.push(`${job.id}`);
        if (job.id === 'coalesced-1') await held;
        running -= 1;
        return 'ok';
      }, 4);
      await jobs.enqueueEvent('coalesced-1', eventJob('first'), KEY);
      await waitFor(async () => calls.includes('coalesced-1'), WAIT_MS, 'the first job to start');

      let keptAside: boolean;
      try {
        await jobs.enqueueEvent('coalesced-2', eventJob('second'), KEY);
        await jobs.enqueueEvent('coalesced-3', eventJob('third'), KEY);
        keptAside = (await events.getJob('coalesced-3')) === undefined;
      } finally {
        release();
      }
      await waitFor(
        async () => (await events.getJobState('coalesced-3')) === 'completed',
        WAIT_MS,
        'the kept job',
      );

      expect(keptAside).toBe(true);
      expect(calls).toEqual(['coalesced-1', 'coalesced-3']);
      expect(mostAtOnce).toBe(1);
      expect((await events.getJob('coalesced-3'))?.data).toEqual(eventJob('third'));
    });

    it('refuses a key BullMQ could not take as an id', async () => {
      await expect(jobs.enqueueEvent('coalesced-1', eventJob('x'), { coalesceKey: 'a:b' })).rejects.toThrow(
        /contains ':'/,
      );
    });
  });

  describe('when a run event (a stage result) finished and is queued again', () => {
    it('runs it again, since an earlier copy may have found the run unable to take it (the run applies its id once)', async () => {
      const calls: string[] = [];
      startEventWorker(async (job) => {
        calls.push(`${job.id}`);
        return calls.length === 1 ? 'ignored' : 'applied';
      });
      await jobs.enqueueEvent('research-a1-result', eventJob('first'));
      await waitUntilFinished('research-a1-result');

      await jobs.enqueueEvent('research-a1-result', eventJob('again'));

      await expect(waitUntilFinished('research-a1-result')).resolves.toBe('applied');
      expect(calls).toEqual(['research-a1-result', 'research-a1-result']);
    });
  });

  describe('when a stage job finished and its run asks for it again', () => {
    let phaseEvents: QueueEvents;

    /** Runs one stage job on a real `phases` worker whose processor returns `outcome`. */
    async function runStage(job: StageJob, outcome: string): Promise<unknown> {
      const worker = new Worker(
        QUEUE_NAMES.phases,
        wrapProcessor(async () => outcome),
        {
          connection: workerConnectionOptions(redisUrl()),
          prefix,
          ...workerSettings('phases', { lockDuration: 5_000, stalledInterval: 5_000, concurrency: 1 }),
        },
      );
      try {
        await jobs.enqueueStage(job);
        const stored = await phases.getJob(job.jobId);
        return await stored?.waitUntilFinished(phaseEvents, WAIT_MS);
      } finally {
        await worker.close();
      }
    }

    beforeEach(async () => {
      phaseEvents = new QueueEvents(QUEUE_NAMES.phases, {
        connection: workerConnectionOptions(redisUrl()),
        prefix,
      });
      await phaseEvents.waitUntilReady();
      closers.unshift(() => phaseEvents.close());
    });

    it('queues it again when it was skipped (its run, rebuilt behind it, did not want it then)', async () => {
      const job = researchJob(RUN_A);
      await expect(runStage(job, 'skipped')).resolves.toBe('skipped');

      await expect(runStage(job, 'succeeded')).resolves.toBe('succeeded');
    });

    it('does not run it twice once it ran to its result', async () => {
      const job = researchJob(RUN_A);
      await expect(runStage(job, 'succeeded')).resolves.toBe('succeeded');

      await jobs.enqueueStage(job);

      expect(await phases.getJobState(job.jobId)).toBe('completed');
      expect((await phases.getJob(job.jobId))?.returnvalue).toBe('succeeded');
    });
  });

  describe('cancelRunJobs', () => {
    it("removes one run's queued stage jobs and delayed events, not another run's", async () => {
      const verification: VerificationJob = {
        jobId: verificationJobId(RUN_A, 'research', 1, 'abc123'),
        ref: RUN_A,
        source: 'acme_crm',
        stage: 'research',
        batch: 1,
        headSha: 'abc123',
        tables: [],
        completedTables: [],
        layout: DEFAULT_LAYOUT,
      };
      await jobs.enqueueStage(researchJob(RUN_A));
      await jobs.enqueueVerification(verification);
      await jobs.enqueueEvent('ci-poll-a', eventJob('poll', RUN_A), { delayMs: 60_000 });
      await jobs.enqueueEvent('delivery-a', eventJob('command', RUN_A));
      await jobs.enqueueStage(researchJob(RUN_B));
      await jobs.enqueueEvent('ci-poll-b', eventJob('poll', RUN_B), { delayMs: 60_000 });

      const removed = await jobs.cancelRunJobs(RUN_A);

      expect(removed).toBe(3);
      expect(await phases.getJob(researchJob(RUN_A).jobId)).toBeUndefined();
      expect(await phases.getJob(verification.jobId)).toBeUndefined();
      expect(await events.getJob('ci-poll-a')).toBeUndefined();
      expect(await events.getJobState('delivery-a')).toBe('waiting');
      expect(await phases.getJobState(researchJob(RUN_B).jobId)).toBe('waiting');
      expect(await events.getJobState('ci-poll-b')).toBe('delayed');
    });
  });
});
