import { describe, expect, it } from 'vitest';
import { DEFAULT_REPO_CONFIG } from '../../config/repo-config.js';
import { ConfigError } from '../../errors.js';
import { cachedRepoConfigLoader } from './cached-repo-config.js';

const port = (repo: string) => ({
  repo: { installationId: 7, owner: 'acme', repo },
  readFile: async () => null,
});

describe('cachedRepoConfigLoader', () => {
  it('reads a repository’s config once while it is fresh, shared by readers at the same moment', async () => {
    let reads = 0;
    const load = cachedRepoConfigLoader(async () => {
      reads += 1;
      return DEFAULT_REPO_CONFIG;
    });
    await Promise.all([load(port('connectors')), load(port('connectors')), load(port('Connectors'))]);
    await load(port('connectors'));
    expect(reads).toBe(1);
    await load(port('other'));
    expect(reads).toBe(2);
  });

  it('reads again once the answer is older than the lifetime', async () => {
    let reads = 0;
    const load = cachedRepoConfigLoader(async () => {
      reads += 1;
      return DEFAULT_REPO_CONFIG;
    }, 20);
    await load(port('connectors'));
    await new Promise((resolve) => setTimeout(resolve, 40));
    await load(port('connectors'));
    expect(reads).toBe(2);
  });

  it('does not keep an invalid or unreadable config: the next reader sees the fix', async () => {
    let reads = 0;
    const load = cachedRepoConfigLoader(async () => {
      reads += 1;
      if (reads === 1) throw new ConfigError('Invalid .github/lakeflow-connector-bot.yml');
      return DEFAULT_REPO_CONFIG;
    });
    await expect(load(port('connectors'))).rejects.toThrow(ConfigError);
    await expect(load(port('connectors'))).resolves.toBe(DEFAULT_REPO_CONFIG);
    expect(reads).toBe(2);
  });
});
