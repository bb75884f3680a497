import type { Redis } from 'ioredis';
import { type BullmqJobQueue, createBullmqJobQueue } from '../../src/adapters/queue/bullmq-job-queue.js';
import { type BullmqWorkers, startBullmqWorkers } from '../../src/adapters/queue/bullmq-workers.js';
import {
  DEFAULT_WORKER_SETTINGS,
  QUEUE_NAMES,
  queueConnectionOptions,
  workerConnectionOptions,
} from '../../src/adapters/queue/queues.js';
import { createRedisRunStore } from '../../src/adapters/redis/redis-run-store.js';
import { createRedisSpendLedger } from '../../src/adapters/redis/redis-spend-ledger.js';
import { createRedisStageCheckpoints } from '../../src/adapters/redis/redis-stage-checkpoints.js';
import { loadRepoConfig } from '../../src/config/load-repo-config.js';
import type { RunRef } from '../../src/domain/pipeline/run.js';
import { DEFAULT_RUN_SETTINGS } from '../../src/domain/pipeline/settings.js';
import { createLogger } from '../../src/logging.js';
import type { StoredRun } from '../../src/ports/run-store.js';
import type { WorkerDeps } from '../../src/workers/worker-deps.js';
import { InMemoryGitHub } from '../fakes/in-memory-github.js';
import { ScriptedSelfReviewer } from '../fakes/scripted-self-reviewer.js';
import { ScriptedStageRunner } from '../fakes/scripted-stage-runner.js';
import { unavailableCi } from '../fakes/unavailable-ci.js';
import { createTestRedis, deleteKeysByPrefix, obliterateQueues, redisUrl } from './redis.js';
import { repoAccessOf } from './repo-access.js';

/**
 * Short BullMQ timings so stalled jobs are recovered within a test's time; phases keep production's
 * stall limit, so a test of a stage killed too often kills it as often as production allows.
 */
export const FAST_WORKER_SETTINGS = {
  events: { lockDuration: 1_000, stalledInterval: 500, maxStalledCount: 1 },
  phases: {
    lockDuration: 1_000,
    stalledInterval: 500,
    maxStalledCount: DEFAULT_WORKER_SETTINGS.phases.maxStalledCount,
  },
} as const;

/** Fast retries for tests: the same attempts as production, short backoff. */
export const FAST_JOB_OPTIONS = {
  events: { attempts: 5, backoff: { type: 'fixed', delay: 20 } },
  phases: { attempts: 3, backoff: { type: 'fixed', delay: 20 } },
} as const;

/** Everything a queue test needs: the real store, queue and workers on Redis, with in-memory GitHub. */
export interface WorkerHarness {
  redis: Redis;
  prefix: string;
  deps: WorkerDeps;
  jobs: BullmqJobQueue;
  github: InMemoryGitHub;
  stages: ScriptedStageRunner;
  selfReviewer: ScriptedSelfReviewer;
  /** Starts one more set of workers on the same queues (another "process"). */
  startWorkers(): BullmqWorkers;
  load(ref: RunRef): Promise<StoredRun | null>;
  close(): Promise<void>;
}

/** Builds the harness under a unique key prefix; `close` removes every key it made. */
export function createWorkerHarness(
  prefix: string,
  options: {
    stages?: ScriptedStageRunner;
    github?: InMemoryGitHub;
    selfReviewer?: ScriptedSelfReviewer;
    /** How long a job waits for a run's lock before giving up (default the store's 5 s). */
    lockWaitMs?: number;
    /**
     * Keep the repository's dashboard issue, refreshed this long after a run's change, switched by
     * the config file in `github.files`; absent: no dashboard (as in the CLI).
     */
    dashboardDelayMs?: number;
  } = {},
): WorkerHarness {
  const redis = createTestRedis();
  const github = options.github ?? new InMemoryGitHub();
  const stages = options.stages ?? new ScriptedStageRunner();
  const selfReviewer = options.selfReviewer ?? new ScriptedSelfReviewer();
  const jobs = createBullmqJobQueue({
    connection: queueConnectionOptions(redisUrl()),
    prefix,
    jobOptions: FAST_JOB_OPTIONS,
  });
  const deps: WorkerDeps = {
    store: createRedisRunStore(redis, {
      prefix: `${prefix}:`,
      ...(options.lockWaitMs === undefined ? {} : { lockWaitMs: options.lockWaitMs }),
    }),
    spendLedger: createRedisSpendLedger(redis, { prefix: `${prefix}:` }),
    stageCheckpoints: createRedisStageCheckpoints(redis, { prefix: `${prefix}:` }),
    jobs,
    github: () => github,
    ci: unavailableCi,
    stages,
    selfReviewer,
    settings: async () => DEFAULT_RUN_SETTINGS,
    access: repoAccessOf(github),
    clock: { now: () => new Date() },
    log: createLogger({ level: 'silent' }),
    ...(options.dashboardDelayMs === undefined
      ? {}
      : {
          dashboard: {
            delayMs: options.dashboardDelayMs,
            enabled: async (port) => (await loadRepoConfig(port)).dashboard,
          },
        }),
  };
  const started: BullmqWorkers[] = [];
  return {
    redis,
    prefix,
    deps,
    jobs,
    github,
    stages,
    selfReviewer,
    startWorkers() {
      const workers = startBullmqWorkers(deps, {
        connection: workerConnectionOptions(redisUrl()),
        prefix,
        settings: FAST_WORKER_SETTINGS,
      });
      started.push(workers);
      return workers;
    },
    load: (ref) => deps.store.load(ref),
    async close() {
      await Promise.all(started.map((workers) => workers.close()));
      await jobs.close();
      await obliterateQueues(redis, { prefix, names: Object.values(QUEUE_NAMES) });
      await deleteKeysByPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

/** Polls `check` every 25 ms until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The issue-form body GitHub renders for a connector request. */
export function issueFormBody(source: string, tables = 'contacts, deals'): string {
  return `### Source name\n\n${source}\n\n### API documentation links\n\nhttps://developers.acme.example/api\n\n### Tables of interest\n\n${tables}\n\n### Notes\n\n_No response_\n`;
}
