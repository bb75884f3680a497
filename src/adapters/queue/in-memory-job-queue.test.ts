import { describe, expect, it } from 'vitest';
import { researchJob } from '../../../test/helpers/pipeline.js';
import type { RunRef } from '../../domain/pipeline/run.js';
import { ExternalServiceError, InvariantError, UserInputError } from '../../errors.js';
import type { Clock } from '../../ports/clock.js';
import type { EventJob } from '../../workers/event-job.js';
import { createInMemoryJobQueue, type JobHandlers } from './in-memory-job-queue.js';
import { attemptsFor } from './queues.js';

const RUN_A: RunRef = { installationId: 7, owner: 'acme', repo: 'connectors', issue: 42 };
const RUN_B: RunRef = { ...RUN_A, issue: 43 };

function eventJob(text: string, ref: RunRef = RUN_A): EventJob {
  return {
    kind: 'run_event',
    ref,
    event: { type: 'review_feedback', id: text, author: 'r', text, path: null },
  };
}

function manualClock(start = Date.parse('2026-11-25T12:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

/** Handlers that record what ran, in order; `event` runs `onEvent` when given. */
function recording(onEvent?: (job: EventJob, attemptsMade: number) => Promise<void>) {
  const ran: string[] = [];
  const handlers: JobHandlers = {
    async event(job, context) {
      ran.push(context.jobId);
      await onEvent?.(job, context.attemptsMade);
    },
    async stage(job) {
      ran.push(job.jobId);
    },
    async verification(job) {
      ran.push(job.jobId);
    },
    async selfReview(job) {
      ran.push(job.jobId);
    },
  };
  return { ran, handlers };
}

describe('createInMemoryJobQueue', () => {
  it('runs a duplicate id once, also after it completed', async () => {
    const queue = createInMemoryJobQueue();
    const { ran, handlers } = recording();
    queue.process(handlers);

    await queue.enqueueEvent('delivery-1', eventJob('a'));
    await queue.enqueueEvent('delivery-1', eventJob('b'));
    await queue.drain();
    await queue.enqueueEvent('delivery-1', eventJob('c'));
    await queue.drain();

    expect(ran).toEqual(['delivery-1']);
  });

  it('coalesces events of one key: one waits at most, one added while another runs is queued after it', async () => {
    const queue = createInMemoryJobQueue();
    const key = { coalesceKey: 'dashboard-7-acme-connectors' };
    const enqueuedWhileRunning: string[] = [];
    const { ran, handlers } = recording(async (job) => {
      if (job.kind !== 'run_event' || job.event.id !== 'a') return;
      await queue.enqueueEvent('coalesced-3', eventJob('c'), key);
      await queue.enqueueEvent('coalesced-4', eventJob('d'), key);
      enqueuedWhileRunning.push('c', 'd');
    });
    queue.process(handlers);

    await queue.enqueueEvent('coalesced-1', eventJob('a'), key);
    await queue.enqueueEvent('coalesced-2', eventJob('b'), key);
    await queue.drain();
    await queue.enqueueEvent('coalesced-5', eventJob('e'), key);
    await queue.drain();

    expect(enqueuedWhileRunning).toEqual(['c', 'd']);
    expect(ran).toEqual(['coalesced-1', 'coalesced-4', 'coalesced-5']);
    await expect(queue.enqueueEvent('coalesced-6', eventJob('f'), { coalesceKey: 'a:b' })).rejects.toThrow(
      /contains ':'/,
    );
  });

  it('refuses bad ids and invalid data', async () => {
    const queue = createInMemoryJobQueue();

    await expect(queue.enqueueEvent('a:b', eventJob('a'))).rejects.toBeInstanceOf(InvariantError);
    await expect(queue.enqueueEvent('42', eventJob('a'))).rejects.toThrow(/all digits/);
    await expect(queue.enqueueStage({ ...researchJob(RUN_A), attempt: 0 })).rejects.toThrow(/invalid data/);
  });

  it('retries a retryable error until it succeeds', async () => {
    const queue = createInMemoryJobQueue();
    const { ran, handlers } = recording(async (_, attemptsMade) => {
      if (attemptsMade < 2) throw new ExternalServiceError('GitHub answered 502');
    });
    queue.process(handlers);

    await queue.enqueueEvent('delivery-1', eventJob('a'));
    await queue.drain();

    expect(ran).toEqual(['delivery-1', 'delivery-1', 'delivery-1']);
    expect(queue.failed()).toEqual([]);
  });

  it('fails a job after the attempts of its queue', async () => {
    const queue = createInMemoryJobQueue();
    const { ran, handlers } = recording(async () => {
      throw new Error('socket hang up');
    });
    queue.process(handlers);

    await queue.enqueueEvent('delivery-1', eventJob('a'));
    await queue.drain();

    expect(ran).toHaveLength(attemptsFor('events'));
    expect(queue.failed()).toMatchObject([
      { jobId: 'delivery-1', name: 'event', error: { message: 'socket hang up' } },
    ]);
  });

  it('fails a non-retryable BotError at once', async () => {
    const queue = createInMemoryJobQueue();
    const error = new UserInputError('Unknown table');
    const { ran, handlers } = recording(async () => {
      throw error;
    });
    queue.process(handlers);

    await queue.enqueueEvent('delivery-1', eventJob('a'));
    await queue.drain();

    expect(ran).toEqual(['delivery-1']);
    expect(queue.failed()).toEqual([{ jobId: 'delivery-1', name: 'event', error }]);
  });

  describe('drain', () => {
    it('runs jobs first in, first out, including jobs enqueued by handlers', async () => {
      const queue = createInMemoryJobQueue();
      const { ran, handlers } = recording(async (job) => {
        if (job.kind === 'run_event' && job.event.id === 'first')
          await queue.enqueueStage(researchJob(RUN_A));
      });
      queue.process(handlers);

      await queue.enqueueEvent('delivery-1', eventJob('first'));
      await queue.enqueueEvent('delivery-2', eventJob('second'));
      await queue.drain();

      expect(ran).toEqual(['delivery-1', 'delivery-2', researchJob(RUN_A).jobId]);
    });

    it('leaves delayed jobs until the clock reaches them, or runs them with includeDelayed', async () => {
      const clock = manualClock();
      const queue = createInMemoryJobQueue({ clock });
      const { ran, handlers } = recording();
      queue.process(handlers);
      await queue.enqueueEvent('poll-1', eventJob('a'), { delayMs: 60_000 });
      await queue.enqueueEvent('poll-2', eventJob('b'), { delayMs: 120_000 });

      await queue.drain();
      const before = [...ran];
      clock.advance(60_000);
      await queue.drain();
      const afterAdvance = [...ran];
      await queue.drain({ includeDelayed: true });

      expect(before).toEqual([]);
      expect(afterAdvance).toEqual(['poll-1']);
      expect(ran).toEqual(['poll-1', 'poll-2']);
    });

    it('throws before handlers are registered', async () => {
      await expect(createInMemoryJobQueue().drain()).rejects.toBeInstanceOf(InvariantError);
    });
  });

  it("cancelRunJobs removes one run's queued stage jobs and delayed events, not another run's", async () => {
    const queue = createInMemoryJobQueue({ clock: manualClock() });
    const { ran, handlers } = recording();
    queue.process(handlers);
    await queue.enqueueStage(researchJob(RUN_A));
    await queue.enqueueEvent('poll-a', eventJob('a'), { delayMs: 60_000 });
    await queue.enqueueEvent('delivery-a', eventJob('b'));
    await queue.enqueueStage(researchJob(RUN_B));

    const removed = await queue.cancelRunJobs(RUN_A);
    await queue.drain({ includeDelayed: true });

    expect(removed).toBe(2);
    expect(ran).toEqual(['delivery-a', researchJob(RUN_B).jobId]);
  });
});
