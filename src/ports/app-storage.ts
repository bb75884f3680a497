import type { Logger } from '../logging.js';
import type { WorkerDeps } from '../workers/worker-deps.js';
import type { Clock } from './clock.js';
import type { JobQueue } from './job-queue.js';
import type { WebhookDeliveries } from './webhook-deliveries.js';

/** The storage-bound parts of `WorkerDeps`: where runs, spend and jobs are kept. */
export type StoredDeps = Pick<
  WorkerDeps,
  'store' | 'jobs' | 'allowReply' | 'spendLedger' | 'stageCheckpoints'
>;

/**
 * Where a bot process keeps its runs and queues: Redis (production), or files on disk for a
 * one-process trial. The composition root builds the rest of `WorkerDeps` around it.
 */
export interface AppStorage {
  /** `redis` or `disk`, for logs and the health page. */
  kind: 'redis' | 'disk';
  deps: StoredDeps;
  /** The queue the webhook handlers enqueue on (the same one as `deps.jobs`). */
  jobs: JobQueue;
  /** The reply rate limit the webhook handlers and workers share (the same one as `deps.allowReply`). */
  allowReply: (key: string) => Promise<boolean>;
  /** Starts the workers with the finished deps; the returned `close` waits for running jobs. */
  startWorkers(deps: WorkerDeps): Promise<{ close(): Promise<void> }>;
  /** Starts what watches the storage itself (Redis: a flush detector); `null` when there is none. */
  startWatch(params: {
    deliveries: WebhookDeliveries;
    clock: Clock;
    log: Logger;
    intervalSeconds: number;
  }): { stop(): Promise<void> } | null;
  /** Closes connections and files; after the workers. */
  close(): Promise<void>;
}
