import type { GitHubPort } from '../ports/github.js';
import { parseRepoConfig, REPO_CONFIG_PATH, type RepoConfig } from './repo-config.js';

/** Reads one repository's config through its port (`loadRepoConfig`, or a cached one). */
export type RepoConfigLoader = (github: Pick<GitHubPort, 'readFile' | 'repo'>) => Promise<RepoConfig>;

/**
 * Reads `.github/lakeflow-connector-bot.yml` from the repository's default branch and parses it; a missing
 * file gives the defaults. A `ConfigError` from {@link parseRepoConfig} propagates (the worker turns it into
 * a comment), as does any error of the port.
 */
export async function loadRepoConfig(github: Pick<GitHubPort, 'readFile'>): Promise<RepoConfig> {
  return parseRepoConfig(await github.readFile({ path: REPO_CONFIG_PATH }));
}
