import { describe, expect, it } from 'vitest';
import { ConfigError, ExternalServiceError } from '../errors.js';
import type { GitHubPort } from '../ports/github.js';
import { loadRepoConfig } from './load-repo-config.js';
import { DEFAULT_REPO_CONFIG } from './repo-config.js';

type ReadFile = GitHubPort['readFile'];

/** A port whose `readFile` answers from `files` and records each request. */
function fakeGitHub(files: Record<string, string>): {
  github: Pick<GitHubPort, 'readFile'>;
  reads: unknown[];
} {
  const reads: unknown[] = [];
  const readFile: ReadFile = async (params) => {
    reads.push(params);
    return files[params.path] ?? null;
  };
  return { github: { readFile }, reads };
}

describe('loadRepoConfig', () => {
  it('reads the config file from the default branch', async () => {
    const { github, reads } = fakeGitHub({ '.github/lakeflow-connector-bot.yml': 'maxTestIterations: 7\n' });

    const config = await loadRepoConfig(github);

    expect(config).toEqual({ ...DEFAULT_REPO_CONFIG, maxTestIterations: 7 });
    expect(reads).toEqual([{ path: '.github/lakeflow-connector-bot.yml' }]);
  });

  it.each([
    ['no config file', {}],
    ['an empty config file', { '.github/lakeflow-connector-bot.yml': '' }],
  ])('gives the defaults for %s', async (_name, files) => {
    await expect(loadRepoConfig(fakeGitHub(files).github)).resolves.toEqual(DEFAULT_REPO_CONFIG);
  });

  it('lets a ConfigError through for the worker to report', async () => {
    const { github } = fakeGitHub({ '.github/lakeflow-connector-bot.yml': 'budgets: { runUsd: -5 }\n' });

    const load = loadRepoConfig(github);

    await expect(load).rejects.toBeInstanceOf(ConfigError);
    await expect(load).rejects.toThrow(/^Invalid \.github\/lakeflow-connector-bot\.yml:\n- budgets\.runUsd:/);
  });

  it('lets a failure of GitHub through unchanged, so the job is retried', async () => {
    const failure = new ExternalServiceError('GitHub answered 502');
    const github: Pick<GitHubPort, 'readFile'> = { readFile: async () => Promise.reject(failure) };

    await expect(loadRepoConfig(github)).rejects.toBe(failure);
  });
});
