import type { DeliveryAttempt } from './delivery-attempt.js';

/** How many times one event is redelivered at most, and how many events one sweep redelivers. */
export interface RedeliveryLimits {
  maxRedeliveriesPerEvent: number;
  maxPerSweep: number;
}

/** What a sweep decided: the attempts to redeliver, and the events given up on. */
export interface MissedDeliveries {
  redeliver: DeliveryAttempt[];
  /** Events never acknowledged that already had `maxRedeliveriesPerEvent` redeliveries. */
  givenUp: string[];
}

/**
 * The events the App never acknowledged (no attempt answered 2xx and the last got no answer or a
 * 5xx: the process crashed, was restarting, or timed out while handling them), each once, by its newest attempt, oldest event
 * first, capped per sweep. GitHub does not redeliver on its own; deliveries the bot did take are
 * never sent again, and one that keeps failing is given up after `maxRedeliveriesPerEvent`.
 */
export function missedDeliveries(
  attempts: readonly DeliveryAttempt[],
  limits: RedeliveryLimits,
): MissedDeliveries {
  const byGuid = new Map<string, DeliveryAttempt[]>();
  for (const attempt of attempts) byGuid.set(attempt.guid, [...(byGuid.get(attempt.guid) ?? []), attempt]);
  const redeliver: DeliveryAttempt[] = [];
  const givenUp: string[] = [];
  for (const [guid, tries] of byGuid) {
    if (tries.some((attempt) => attempt.statusCode >= 200 && attempt.statusCode < 300)) continue;
    if (tries.filter((attempt) => attempt.redelivery).length >= limits.maxRedeliveriesPerEvent) {
      givenUp.push(guid);
      continue;
    }
    const newest = tries.reduce((a, b) => (b.deliveredAt.getTime() > a.deliveredAt.getTime() ? b : a));
    // A 4xx is the bot's own refusal (a bad signature, a body too large): sending it again changes nothing.
    if (newest.statusCode >= 400 && newest.statusCode < 500) continue;
    redeliver.push(newest);
  }
  redeliver.sort((a, b) => a.deliveredAt.getTime() - b.deliveredAt.getTime());
  return { redeliver: redeliver.slice(0, limits.maxPerSweep), givenUp };
}
