import { openEmbeddedStorage } from './adapters/embedded/embedded-storage.js';
import { redactRedisUrl } from './adapters/redis/connect-redis.js';
import { openRedisStorage } from './adapters/redis/redis-storage.js';
import { chooseStorage, tcpAnswers } from './config/choose-storage.js';
import type { AppEnv } from './config/env.js';
import { ConfigError } from './errors.js';
import type { Logger } from './logging.js';
import type { AppStorage } from './ports/app-storage.js';

/**
 * Opens the storage `STORAGE` and `REDIS_URL` ask for (`chooseStorage`). Without Redis the process
 * runs on the disk and says, loudly, that it is a trial and how to move to Redis.
 */
export async function openStorage(env: AppEnv, raw: NodeJS.ProcessEnv, log: Logger): Promise<AppStorage> {
  const choice = await chooseStorage({
    storage: env.STORAGE,
    redisUrl: env.REDIS_URL,
    redisUrlSet: raw.REDIS_URL !== undefined && raw.REDIS_URL !== '',
    dataDir: env.DATA_DIR,
    defaultRedisAnswers: () => tcpAnswers(env.REDIS_URL),
  });
  if (choice.kind === 'redis')
    return openRedisStorage({
      url: choice.url,
      prefix: env.KEY_PREFIX,
      log,
      concurrency: { events: env.EVENT_CONCURRENCY, phases: env.PHASE_CONCURRENCY },
    });
  if (env.ROLE !== 'all')
    throw new ConfigError(
      `ROLE=${env.ROLE} needs Redis (set REDIS_URL): without it the bot runs as one process, ROLE=all.`,
    );
  const why =
    choice.why === 'asked'
      ? 'STORAGE=disk'
      : `nothing answers on ${redactRedisUrl(env.REDIS_URL)} and REDIS_URL is not set`;
  log.warn(
    { storage: 'disk', dataDir: choice.dir },
    `TRIAL MODE: runs and queues are kept in ${choice.dir} (${why}). One process, one job at a time per queue: fine for trying the bot, not for a busy installation. For production, start Redis and set REDIS_URL (e.g. redis://127.0.0.1:6379).`,
  );
  return openEmbeddedStorage({ dir: choice.dir, log });
}
