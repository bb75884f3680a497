import { Redis } from 'ioredis';
import { ConfigError } from '../../errors.js';
import type { Logger } from '../../logging.js';

/** How long the boot waits for Redis before giving up, and how often a lost Redis is logged. */
const CONNECT_TIMEOUT_MS = 5_000;
const ERROR_LOG_EVERY_MS = 10_000;

/** `url` without its password, for a message. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparsable URL';
  }
}

/**
 * Logs a client's connection errors through the app's JSON logger, at most one line per
 * `everyMs` (the next one says how many were left out), so a lost Redis neither floods the log nor
 * falls through to ioredis's unhandled-error printout.
 */
export function logRedisErrors(
  client: { on(event: 'error', listener: (error: Error) => void): unknown },
  log: Logger,
  component: string,
  now: () => number = Date.now,
  everyMs = ERROR_LOG_EVERY_MS,
): void {
  let last = Number.NEGATIVE_INFINITY;
  let skipped = 0;
  client.on('error', (error) => {
    if (now() - last < everyMs) {
      skipped += 1;
      return;
    }
    last = now();
    log.error({ component, err: { message: error.message }, skipped }, 'Redis connection error');
    skipped = 0;
  });
}

/**
 * The app's Redis connection, connected: a `REDIS_URL` that does not answer within a few seconds
 * stops the boot with one line naming it and the cause (no stack, no retry loop); afterwards
 * errors are logged by `logRedisErrors` while ioredis reconnects.
 */
export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
  let bootError: Error | null = null;
  const recordBootError = (error: Error) => {
    bootError ??= error;
  };
  redis.on('error', recordBootError);
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)),
          CONNECT_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
  } catch (error) {
    redis.disconnect();
    const cause =
      (bootError as Error | null)?.message ?? (error instanceof Error ? error.message : String(error));
    throw new ConfigError(`REDIS_URL (${redactRedisUrl(url)}) cannot be reached: ${cause}`, { cause: error });
  } finally {
    redis.off('error', recordBootError);
  }
  logRedisErrors(redis, log, 'redis');
  return redis;
}
