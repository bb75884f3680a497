import { type ConnectionOptions, type JobType, Queue } from 'bullmq';
import type { Logger } from '../../logging.js';
import { QUEUE_NAMES, type QueueName } from './queues.js';

/** The queues as the operator endpoints see them (health, job counts, the dashboard). */
export interface OperatorQueues {
  readonly queues: Readonly<Record<QueueName, Queue>>;
  close(): Promise<void>;
}

/**
 * Opens the bot's queues for reading and for the dashboard, on their own connections (see
 * `queueConnectionOptions`), so the operator endpoints work in every role and a slow scrape never
 * queues behind the producer's enqueues.
 */
export function openOperatorQueues(options: {
  connection: ConnectionOptions;
  prefix?: string;
  log: Logger;
}): OperatorQueues {
  const open = (name: QueueName) => {
    const queue = new Queue(name, {
      connection: options.connection,
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    });
    // Connection errors repeat while Redis is away; `/healthz` reports them, the log only at debug.
    queue.on('error', (err) => options.log.debug({ err, queue: name }, 'Operator queue connection error'));
    return queue;
  };
  const queues = { events: open(QUEUE_NAMES.events), phases: open(QUEUE_NAMES.phases) };
  return {
    queues,
    async close() {
      await Promise.all([queues.events.close(), queues.phases.close()]);
    },
  };
}

/** The job states `/metrics` reports per queue. */
export const COUNTED_STATES: readonly JobType[] = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
];

/** Job counts per queue and state, read from Redis (one round trip per queue). */
export async function countJobs(
  queues: Readonly<Record<QueueName, Queue>>,
): Promise<Record<QueueName, Record<string, number>>> {
  const [events, phases] = await Promise.all([
    queues.events.getJobCounts(...COUNTED_STATES),
    queues.phases.getJobCounts(...COUNTED_STATES),
  ]);
  return { events, phases };
}

/**
 * Whether each queue is open and answers: not closing, and a count of its waiting jobs comes back
 * within `timeoutMs`. Never throws.
 */
export async function checkQueues(
  queues: Readonly<Record<QueueName, Queue>>,
  timeoutMs: number,
): Promise<Record<QueueName, boolean>> {
  const [events, phases] = await Promise.all([
    isAnswering(queues.events, timeoutMs),
    isAnswering(queues.phases, timeoutMs),
  ]);
  return { events, phases };
}

async function isAnswering(queue: Queue, timeoutMs: number): Promise<boolean> {
  if (queue.closing !== undefined) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const answer = queue.getJobCountByTypes('waiting').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
