import { DEFAULT_REPO_CONFIG, type RepoConfig } from '../config/repo-config.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../observability/metrics.js';
import type { GitHubPort } from '../ports/github.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { RepoRef } from '../workers/worker-deps.js';

/** What the webhook handlers need: read-only GitHub, the queue, the repository settings and a rate limit. */
export interface HandlerDeps {
  jobs: JobQueue;
  /** A GitHub port for reads (permission lookups); handlers never write through it. */
  github: (repo: RepoRef) => GitHubPort;
  /**
   * The repository config's approvers, workflow file, environment name and labels. When it fails (an
   * invalid config is reported on the issue by the worker), `repoSettingsOf` uses the defaults.
   */
  repoSettings: (github: GitHubPort) => Promise<RepoSettings>;
  /** True while `key` may still get a reply in the current window (`/status`, `/help`, hints, refusals). */
  allowReply: (key: string) => Promise<boolean>;
  log: Logger;
  /** Where delivery outcomes are counted (`/metrics`); absent: nothing is recorded. */
  metrics?: Metrics;
}

/**
 * The parts of the repository config the handlers need; `labels` (its `request` label) is absent
 * only in tests that do not need it, and then the default label stands.
 */
export type RepoSettings = Pick<RepoConfig, 'approvers' | 'workflow' | 'environment'> &
  Partial<Pick<RepoConfig, 'labels'>>;

/** The repository's settings for the handlers, or the defaults when they cannot be read. */
export async function repoSettingsOf(deps: HandlerDeps, repo: RepoRef): Promise<RepoSettings> {
  try {
    return await deps.repoSettings(deps.github(repo));
  } catch (error) {
    deps.log.warn(
      { err: error, repo: `${repo.owner}/${repo.repo}` },
      'Repository config unreadable; using defaults',
    );
    const { approvers, workflow, environment, labels } = DEFAULT_REPO_CONFIG;
    return { approvers, workflow, environment, labels };
  }
}

/** The job id of everything a delivery enqueues: a redelivered webhook is a no-op. */
export function deliveryJobId(deliveryId: string, suffix = ''): string {
  return `delivery-${deliveryId}${suffix}`.replace(/:/g, '_');
}
