import type { Logger } from '../logging.js';
import type { Metrics } from '../observability/metrics.js';
import type { GitHubPort } from '../ports/github.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { RepoRef } from '../workers/worker-deps.js';

/** What the webhook handlers need: read-only GitHub, the queue, the approvers and a rate limit. */
export interface HandlerDeps {
  jobs: JobQueue;
  /** A GitHub port for reads (permission lookups); handlers never write through it. */
  github: (repo: RepoRef) => GitHubPort;
  /** Logins the repository config lists as approvers. */
  approvers: (github: GitHubPort) => Promise<string[]>;
  /** True while `key` may still get a reply in the current window (`/status`, `/help`, hints, refusals). */
  allowReply: (key: string) => Promise<boolean>;
  log: Logger;
  /** Where delivery outcomes are counted (`/metrics`); absent: nothing is recorded. */
  metrics?: Metrics;
}

/** The job id of everything a delivery enqueues: a redelivered webhook is a no-op. */
export function deliveryJobId(deliveryId: string, suffix = ''): string {
  return `delivery-${deliveryId}${suffix}`.replace(/:/g, '_');
}
