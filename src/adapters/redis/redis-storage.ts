import type { Logger } from '../../logging.js';
import type { AppStorage } from '../../ports/app-storage.js';
import { DEFAULT_REDIS_LOSS_WATCH, startRedisLossWatch } from '../../workers/redis-loss-watch.js';
import { createBullmqJobQueue } from '../queue/bullmq-job-queue.js';
import { startBullmqWorkers } from '../queue/bullmq-workers.js';
import { queueConnectionOptions, type WorkerSettings, workerConnectionOptions } from '../queue/queues.js';
import { connectRedis } from './connect-redis.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';
import { createRedisRunStore } from './redis-run-store.js';
import { createRedisSpendLedger } from './redis-spend-ledger.js';
import { createRedisStageCheckpoints } from './redis-stage-checkpoints.js';

/**
 * The production storage: runs, spend, checkpoints and the reply limit in Redis under `prefix`,
 * jobs on BullMQ. Connects at once: a `url` that does not answer stops the boot in one line.
 */
export async function openRedisStorage(params: {
  url: string;
  prefix: string;
  log: Logger;
  concurrency: { events: number; phases: number };
}): Promise<AppStorage> {
  const { url, prefix, log } = params;
  const redis = await connectRedis(url, log);
  const jobs = createBullmqJobQueue({ connection: queueConnectionOptions(url), prefix, log });
  const keys = { prefix: `${prefix}:` };
  const settings: Partial<Record<'events' | 'phases', Partial<WorkerSettings>>> = {
    events: { concurrency: params.concurrency.events },
    phases: { concurrency: params.concurrency.phases },
  };
  const allowReply = createRedisRateLimiter(redis, keys);
  return {
    kind: 'redis',
    jobs,
    allowReply,
    deps: {
      store: createRedisRunStore(redis, { ...keys, logger: log.child({ component: 'run-store' }) }),
      spendLedger: createRedisSpendLedger(redis, keys),
      stageCheckpoints: createRedisStageCheckpoints(redis, keys),
      jobs,
      allowReply,
    },
    async startWorkers(deps) {
      return startBullmqWorkers(deps, { connection: workerConnectionOptions(url), prefix, settings });
    },
    startWatch({ deliveries, clock, log: watchLog, intervalSeconds }) {
      if (intervalSeconds === 0) return null;
      return startRedisLossWatch(
        { redis, prefix, deliveries, jobs, clock, log: watchLog },
        { ...DEFAULT_REDIS_LOSS_WATCH, intervalMs: intervalSeconds * 1000 },
      );
    },
    async close() {
      await jobs.close();
      redis.disconnect();
    },
  };
}
