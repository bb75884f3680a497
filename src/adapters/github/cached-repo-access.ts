import { LRUCache } from 'lru-cache';
import type { RepoConfigLoader } from '../../config/load-repo-config.js';
import { DEFAULT_REPO_CONFIG, type RepoConfig } from '../../config/repo-config.js';
import type { RepoPermission } from '../../domain/commands/command-permissions.js';
import type { Logger } from '../../logging.js';
import type { GitHubPort } from '../../ports/github.js';
import type { AccessRepo, AccessSettings, RepoAccess } from '../../ports/repo-access.js';
import { rememberPromise } from './remember-promise.js';

/** How long a permission or a repository's settings are reused: a change on GitHub shows within a minute. */
export const ACCESS_CACHE_TTL_MS = 60_000;

/** Entries kept at most per cache (people × repositories, and repositories). */
const MAX_ENTRIES = 10_000;

/**
 * `RepoAccess` over the GitHub port, each answer kept for `ttlMs` (default a minute) in a bounded
 * LRU (`lru-cache`), so a burst of commands costs one permission read per person and one config
 * read per repository. Lookups in flight are shared; a failed one is not kept. A config that cannot
 * be read gives the defaults (logged, not kept), as the run's issue reports the config error itself.
 */
export function createCachedRepoAccess(params: {
  github: (repo: AccessRepo) => Pick<GitHubPort, 'getPermission' | 'readFile' | 'repo'>;
  loadConfig: RepoConfigLoader;
  log: Logger;
  ttlMs?: number;
}): RepoAccess {
  const ttl = params.ttlMs ?? ACCESS_CACHE_TTL_MS;
  const permissions = new LRUCache<string, Promise<RepoPermission>>({ max: MAX_ENTRIES, ttl });
  const settings = new LRUCache<string, Promise<AccessSettings>>({ max: MAX_ENTRIES, ttl });
  const repoKey = (repo: AccessRepo) => `${repo.installationId}/${repo.owner}/${repo.repo}`.toLowerCase();

  return {
    permission: (repo, login) =>
      rememberPromise(permissions, `${repoKey(repo)}:${login.toLowerCase()}`, () =>
        params.github(repo).getPermission(login),
      ),
    async settings(repo) {
      try {
        return await rememberPromise(settings, repoKey(repo), async () =>
          accessSettingsOf(await params.loadConfig(params.github(repo))),
        );
      } catch (error) {
        params.log.warn(
          { err: error, repo: `${repo.owner}/${repo.repo}` },
          'Repository config unreadable; using defaults',
        );
        return accessSettingsOf(DEFAULT_REPO_CONFIG);
      }
    },
  };
}

/** The parts of a repository config `RepoAccess` answers with. */
function accessSettingsOf({
  approvers,
  workflow,
  environment,
  labels,
  commands,
}: RepoConfig): AccessSettings {
  return { approvers, workflow, environment, labels, commands };
}
