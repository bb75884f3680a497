import type { DeliveryAttempt } from '../domain/webhooks/delivery-attempt.js';

export type { DeliveryAttempt };

/** The App's webhook delivery log on GitHub. */
export interface WebhookDeliveries {
  /** Every attempt delivered at or after `since`, newest first. */
  listSince(since: Date): Promise<DeliveryAttempt[]>;
  /** The payload GitHub sent in attempt `id` (`GET /app/hook/deliveries/{id}`), unparsed. */
  payloadOf(id: number): Promise<unknown>;
  /** Asks GitHub to deliver the attempt `id`'s event again. */
  redeliver(id: number): Promise<void>;
}
