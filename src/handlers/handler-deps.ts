import type { Logger } from '../logging.js';
import type { Metrics } from '../observability/metrics.js';
import type { JobQueue } from '../ports/job-queue.js';

/**
 * What the webhook handlers need: the queue, a reply rate limit and the log. No GitHub: a handler
 * verifies, narrows, deduplicates and enqueues, so a delivery is acknowledged without waiting on
 * GitHub; permission checks and config reads happen in the events worker (`workers/check-access.ts`).
 */
export interface HandlerDeps {
  jobs: JobQueue;
  /** True while `key` may still get a reply in the current window (`/status`, `/help`, hints). */
  allowReply: (key: string) => Promise<boolean>;
  log: Logger;
  /** Where delivery outcomes are counted (`/metrics`); absent: nothing is recorded. */
  metrics?: Metrics;
}

/** The job id of everything a delivery enqueues: a redelivered webhook is a no-op. */
export function deliveryJobId(deliveryId: string, suffix = ''): string {
  return `delivery-${deliveryId}${suffix}`.replace(/:/g, '_');
}
