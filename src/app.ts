import { Redis } from 'ioredis';
import { notConfiguredCi, notConfiguredGitHub, notConfiguredStageRunner } from './adapters/not-configured.js';
import { createBullmqJobQueue } from './adapters/queue/bullmq-job-queue.js';
import { startBullmqWorkers } from './adapters/queue/bullmq-workers.js';
import { queueConnectionOptions, workerConnectionOptions } from './adapters/queue/queues.js';
import { createRedisRunStore } from './adapters/redis/redis-run-store.js';
import { readEnv } from './config/env.js';
import { DEFAULT_RUN_SETTINGS } from './domain/pipeline/settings.js';
import { createLogger, type Logger } from './logging.js';
import { systemClock } from './ports/clock.js';
import type { WorkerDeps } from './workers/worker-deps.js';

/** A started bot process. */
export interface App {
  log: Logger;
  /** Stops taking jobs, waits for running ones, closes connections. */
  close(): Promise<void>;
}

/** Ports the caller may replace (tests, the local CLI); the rest are built here from the environment. */
export type PortOverrides = Partial<Pick<WorkerDeps, 'github' | 'ci' | 'stages' | 'settings' | 'clock'>>;

/**
 * The composition root: reads the environment, builds every client once and starts the parts
 * `ROLE` asks for. Nothing below this file constructs a client.
 */
export async function startApp(
  options: { env?: NodeJS.ProcessEnv; ports?: PortOverrides; log?: Logger } = {},
): Promise<App> {
  const env = readEnv(options.env);
  const log = options.log ?? createLogger({ level: env.LOG_LEVEL });
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
  await redis.connect();
  const jobs = createBullmqJobQueue({ connection: queueConnectionOptions(env.REDIS_URL) });
  const deps: WorkerDeps = {
    store: createRedisRunStore(redis),
    jobs,
    github: options.ports?.github ?? notConfiguredGitHub,
    ci: options.ports?.ci ?? notConfiguredCi,
    stages: options.ports?.stages ?? notConfiguredStageRunner,
    settings: options.ports?.settings ?? (async () => DEFAULT_RUN_SETTINGS),
    clock: options.ports?.clock ?? systemClock,
    log,
  };
  const workers =
    env.ROLE === 'web'
      ? null
      : startBullmqWorkers(deps, {
          connection: workerConnectionOptions(env.REDIS_URL),
          settings: {
            events: { concurrency: env.EVENT_CONCURRENCY },
            phases: { concurrency: env.PHASE_CONCURRENCY },
          },
        });
  log.info({ role: env.ROLE, workers: workers !== null }, 'lakeflow-connector-bot started');
  return {
    log,
    async close() {
      await workers?.close();
      await jobs.close();
      redis.disconnect();
    },
  };
}
