import type { Redis } from 'ioredis';
import { runOfDelivery } from '../domain/webhooks/run-of-delivery.js';
import type { Logger } from '../logging.js';
import type { Clock } from '../ports/clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { WebhookDeliveries } from '../ports/webhook-deliveries.js';
import { startPeriodic } from './periodic.js';

/** How the watch looks and how far back a sweep reads. */
export interface RedisLossWatchSettings {
  intervalMs: number;
  windowMinutes: number;
  /** Most deliveries whose payload one sweep reads. */
  maxDeliveries: number;
}

export const DEFAULT_REDIS_LOSS_WATCH: RedisLossWatchSettings = Object.freeze({
  intervalMs: 30_000,
  windowMinutes: 60,
  maxDeliveries: 100,
});

/** The key whose absence means Redis lost its data. */
export function aliveKey(prefix: string): string {
  return `${prefix}:alive`;
}

/**
 * One look: when the key the bot keeps in Redis is gone (a flush, a failover to an empty replica,
 * a first boot), Redis lost the queued work with the runs, and a run whose stage job, CI poll or
 * event job was waiting may get no event to rebuild it. So every run named by a delivery of the
 * last `windowMinutes` is queued for a rebuild (`rebuild`: loaded, or rebuilt from its status
 * comment with its work queued again), then the key is set. A failed sweep leaves the key unset,
 * so the next look sweeps again. Returns how many runs were queued.
 */
export async function checkRedisLoss(
  deps: {
    redis: Redis;
    prefix: string;
    deliveries: WebhookDeliveries;
    jobs: JobQueue;
    clock: Clock;
    log: Logger;
  },
  settings: RedisLossWatchSettings = DEFAULT_REDIS_LOSS_WATCH,
): Promise<number> {
  const key = aliveKey(deps.prefix);
  if ((await deps.redis.exists(key)) === 1) return 0;
  const now = deps.clock.now();
  const attempts = await deps.deliveries.listSince(new Date(now.getTime() - settings.windowMinutes * 60_000));
  const latest = new Map<string, (typeof attempts)[number]>();
  for (const attempt of attempts) if (!latest.has(attempt.guid)) latest.set(attempt.guid, attempt);
  const runs = new Map<string, { installationId: number; owner: string; repo: string; issue: number }>();
  for (const attempt of [...latest.values()].slice(0, settings.maxDeliveries)) {
    const run = runOfDelivery(attempt.event, await deps.deliveries.payloadOf(attempt.id));
    if (run !== null) runs.set(`${run.installationId}-${run.owner}-${run.repo}-${run.issue}`, run);
  }
  for (const [id, ref] of runs) {
    await deps.jobs.enqueueEvent(`rebuild-${id}-${now.getTime()}`.replace(/[^A-Za-z0-9._-]/g, '_'), {
      kind: 'rebuild',
      ref,
    });
  }
  await deps.redis.set(key, now.toISOString());
  // A first boot on an empty Redis looks the same; only a sweep that found runs is worth a warning.
  if (runs.size > 0)
    deps.log.warn(
      { runs: runs.size, deliveries: latest.size },
      'Redis held none of the bot data: the runs of recent deliveries are queued for a rebuild',
    );
  return runs.size;
}

/** Looks at boot and every `intervalMs`, one look at a time; errors are logged and looked at again. */
export function startRedisLossWatch(
  deps: Parameters<typeof checkRedisLoss>[0],
  settings: RedisLossWatchSettings = DEFAULT_REDIS_LOSS_WATCH,
): { stop(): Promise<void> } {
  const look = () =>
    checkRedisLoss(deps, settings).catch((err: unknown) =>
      deps.log.warn({ err }, 'Could not check whether Redis lost its data'),
    );
  return startPeriodic(look, settings.intervalMs);
}
