import { missedDeliveries, type RedeliveryLimits } from '../domain/webhooks/missed-deliveries.js';
import type { Logger } from '../logging.js';
import type { Clock } from '../ports/clock.js';
import type { WebhookDeliveries } from '../ports/webhook-deliveries.js';

/** How far back a sweep looks, and its limits. */
export interface RedeliverySettings extends RedeliveryLimits {
  windowMinutes: number;
}

export const DEFAULT_REDELIVERY: RedeliverySettings = Object.freeze({
  windowMinutes: 24 * 60,
  maxRedeliveriesPerEvent: 3,
  maxPerSweep: 25,
});

/**
 * One sweep of the App's delivery log: events the bot never acknowledged (a crash or restart while
 * their webhook was handled) are redelivered, bounded and logged. GitHub does not redeliver on its
 * own; a redelivered event the bot did apply is deduplicated by its delivery id. Errors are logged,
 * never thrown: the next sweep tries again. Returns how many were redelivered.
 */
export async function redeliverMissed(
  deps: { deliveries: WebhookDeliveries; clock: Clock; log: Logger },
  settings: RedeliverySettings = DEFAULT_REDELIVERY,
): Promise<number> {
  try {
    const since = new Date(deps.clock.now().getTime() - settings.windowMinutes * 60_000);
    const attempts = await deps.deliveries.listSince(since);
    const { redeliver, givenUp } = missedDeliveries(attempts, settings);
    if (givenUp.length > 0) {
      deps.log.warn({ guids: givenUp.slice(0, 20), count: givenUp.length }, 'Gave up redelivering webhooks');
    }
    let sent = 0;
    for (const attempt of redeliver) {
      await deps.deliveries.redeliver(attempt.id);
      sent += 1;
    }
    if (sent > 0) {
      deps.log.info(
        {
          count: sent,
          guids: redeliver.map((attempt) => attempt.guid),
          events: redeliver.map((a) => a.event),
        },
        'Redelivered webhooks the bot had not acknowledged',
      );
    }
    return sent;
  } catch (err) {
    deps.log.warn({ err }, 'Could not sweep the webhook delivery log');
    return 0;
  }
}
