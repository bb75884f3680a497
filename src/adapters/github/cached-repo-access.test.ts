import { describe, expect, it } from 'vitest';
import { DEFAULT_REPO_CONFIG, type RepoConfig } from '../../config/repo-config.js';
import { createLogger } from '../../logging.js';
import { createCachedRepoAccess } from './cached-repo-access.js';

const REPO = { installationId: 7, owner: 'acme', repo: 'connectors' };

function counting(params: { failConfig?: () => boolean } = {}) {
  const reads = { permission: 0, config: 0 };
  const access = createCachedRepoAccess({
    github: () => ({
      repo: REPO,
      getPermission: async (login: string) => {
        reads.permission += 1;
        return login === 'boss' ? 'admin' : 'read';
      },
      readFile: async () => null,
    }),
    loadConfig: async (): Promise<RepoConfig> => {
      reads.config += 1;
      if (params.failConfig?.()) throw new Error('config does not parse');
      return { ...DEFAULT_REPO_CONFIG, approvers: ['octocat'] };
    },
    log: createLogger({ level: 'silent' }),
    ttlMs: 50,
  });
  return { access, reads };
}

describe('createCachedRepoAccess', () => {
  it('reads a permission once per person and repository while it is fresh, whatever the case of the login', async () => {
    const { access, reads } = counting();

    const answers = await Promise.all([
      access.permission(REPO, 'boss'),
      access.permission(REPO, 'Boss'),
      access.permission(REPO, 'boss'),
      access.permission({ ...REPO, repo: 'other' }, 'boss'),
    ]);

    expect(answers).toEqual(['admin', 'admin', 'admin', 'admin']);
    expect(reads.permission).toBe(2);
  });

  it('reads again once the answer is older than its lifetime', async () => {
    const { access, reads } = counting();

    await access.settings(REPO);
    await access.settings(REPO);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const settings = await access.settings(REPO);

    expect(settings.approvers).toEqual(['octocat']);
    expect(reads.config).toBe(2);
  });

  it('gives the defaults for a config it cannot read, and does not keep them', async () => {
    let broken = true;
    const { access, reads } = counting({ failConfig: () => broken });

    const first = await access.settings(REPO);
    broken = false;
    const second = await access.settings(REPO);

    expect(first.approvers).toEqual(DEFAULT_REPO_CONFIG.approvers);
    expect(second.approvers).toEqual(['octocat']);
    expect(reads.config).toBe(2);
  });
});
