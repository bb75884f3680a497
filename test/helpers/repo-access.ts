import { createCachedRepoAccess } from '../../src/adapters/github/cached-repo-access.js';
import { loadRepoConfig } from '../../src/config/load-repo-config.js';
import { createLogger } from '../../src/logging.js';
import type { GitHubPort } from '../../src/ports/github.js';
import type { RepoAccess } from '../../src/ports/repo-access.js';

/** The production `RepoAccess` (cached a minute) over a test's GitHub: its permissions and its config file. */
export function repoAccessOf(github: Pick<GitHubPort, 'getPermission' | 'readFile' | 'repo'>): RepoAccess {
  return createCachedRepoAccess({
    github: () => github,
    loadConfig: loadRepoConfig,
    log: createLogger({ level: 'silent' }),
  });
}
