import { LRUCache } from 'lru-cache';
import type { RepoConfigLoader } from '../../config/load-repo-config.js';
import type { RepoConfig } from '../../config/repo-config.js';
import { ACCESS_CACHE_TTL_MS } from './cached-repo-access.js';
import { rememberPromise } from './remember-promise.js';

/** Repositories whose config is kept at most. */
const MAX_REPOSITORIES = 10_000;

/**
 * `load` with each repository's answer kept for `ttlMs` (default a minute, as permissions are) in a
 * bounded LRU, shared by everything that reads the config (run settings, stages, CI's workflow file,
 * the dashboard): a phase then costs one read of it, not one per reader. Reads in flight are shared;
 * a failed or invalid read is not kept, so the next reader sees the fix at once. A change on GitHub
 * shows within `ttlMs`.
 */
export function cachedRepoConfigLoader(
  load: RepoConfigLoader,
  ttlMs: number = ACCESS_CACHE_TTL_MS,
): RepoConfigLoader {
  const configs = new LRUCache<string, Promise<RepoConfig>>({ max: MAX_REPOSITORIES, ttl: ttlMs });
  return (github) => {
    const { installationId, owner, repo } = github.repo;
    return rememberPromise(configs, `${installationId}/${owner}/${repo}`.toLowerCase(), () => load(github));
  };
}
