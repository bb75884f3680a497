import { join } from 'node:path';
import type { Logger } from '../../logging.js';
import type { JobQueue } from '../../ports/job-queue.js';
import { createJournaledJobQueue, type JournaledJobQueue } from '../local/journaled-job-queue.js';
import { createInMemoryJobQueue, type JobHandlers } from '../queue/in-memory-job-queue.js';

/** How often an idle lane looks for delayed jobs (CI polls) that became ready. */
const IDLE_POLL_MS = 1_000;

/** The embedded queue of a trial deployment: started once with its handlers, closed on shutdown. */
export interface EmbeddedJobQueue extends JobQueue {
  /** Queues again what the journal kept from the last process, then runs jobs until `close`. */
  start(handlers: JobHandlers): Promise<{ replayed: number }>;
  /** True once `close` was called: a job that sees it reports nothing and stays in the journal. */
  isStopping(): boolean;
  /** Stops both lanes after the job each is running; what did not finish stays in the journal. */
  close(): Promise<void>;
}

/** One lane: a journaled in-memory queue and the loop that drains it. */
interface Lane {
  queue: JournaledJobQueue;
  wake: () => void;
  running: Promise<void>;
}

/**
 * A `JobQueue` kept on disk for a one-process trial without Redis: two lanes, `events` and
 * `phases`, each a journaled in-memory queue drained by its own loop, so a command (say `/cancel`)
 * is applied while a stage runs, as with the BullMQ workers. Jobs are journaled under `dir` before
 * they are queued and removed once they ran, so a restart runs again what was queued or running
 * (stage jobs find their own commit by trailer; events are applied once by id). Delayed jobs (CI
 * polls) are not journaled: a restart loses them, and the webhook they stand in for still comes.
 */
export function createEmbeddedJobQueue(params: { dir: string; log: Logger }): EmbeddedJobQueue {
  let stopping = false;
  const isStopping = () => stopping;
  const makeQueue = (name: string) =>
    createJournaledJobQueue({ dir: join(params.dir, name), inner: createInMemoryJobQueue(), isStopping });
  const queues = { events: makeQueue('events'), phases: makeQueue('phases') };
  const lanes: Partial<Record<keyof typeof queues, Lane>> = {};
  const wake = (name: keyof typeof queues) => lanes[name]?.wake();

  function startLane(name: keyof typeof queues): Lane {
    const queue = queues[name];
    let signal: (() => void) | null = null;
    const lane: Lane = {
      queue,
      wake: () => signal?.(),
      running: (async () => {
        while (!stopping) {
          await queue.drain().catch((error: unknown) => {
            params.log.error({ err: error, lane: name }, 'Embedded queue: a drain failed');
          });
          for (const failure of queue.takeFailures())
            params.log.error({ err: failure.error, jobId: failure.jobId, lane: name }, 'Job failed for good');
          if (stopping) break;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, IDLE_POLL_MS);
            signal = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          signal = null;
        }
      })(),
    };
    return lane;
  }

  return {
    async enqueueEvent(jobId, job, options) {
      await queues.events.enqueueEvent(jobId, job, options);
      wake('events');
    },
    async enqueueStage(job) {
      await queues.phases.enqueueStage(job);
      wake('phases');
    },
    async enqueueVerification(job) {
      await queues.phases.enqueueVerification(job);
      wake('phases');
    },
    async enqueueSelfReview(job) {
      await queues.phases.enqueueSelfReview(job);
      wake('phases');
    },
    async cancelRunJobs(ref) {
      return (await queues.events.cancelRunJobs(ref)) + (await queues.phases.cancelRunJobs(ref));
    },
    async start(handlers) {
      queues.events.process(handlers);
      queues.phases.process(handlers);
      const replayed = (await queues.events.replay()) + (await queues.phases.replay());
      lanes.events = startLane('events');
      lanes.phases = startLane('phases');
      return { replayed };
    },
    isStopping,
    async close() {
      stopping = true;
      for (const lane of Object.values(lanes)) lane.wake();
      await Promise.all(Object.values(lanes).map((lane) => lane.running));
    },
  };
}
