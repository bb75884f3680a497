import type { Logger } from '../logging.js';
import type { Clock } from '../ports/clock.js';
import type { WebhookDeliveries } from '../ports/webhook-deliveries.js';
import { startPeriodic } from './periodic.js';
import { redeliverMissed } from './redeliver-missed.js';

/**
 * Sweeps the delivery log at boot and then every `intervalMinutes` (0: never), one sweep at a time;
 * `stop` waits for a sweep in flight. Each web process sweeps: a redelivery the bot already took is
 * deduplicated by its delivery id.
 */
export function startRedeliverySweeps(params: {
  deliveries: WebhookDeliveries;
  clock: Clock;
  log: Logger;
  intervalMinutes: number;
}): { stop(): Promise<void> } {
  if (params.intervalMinutes === 0) return { stop: async () => undefined };
  return startPeriodic(() => redeliverMissed(params), params.intervalMinutes * 60_000);
}
