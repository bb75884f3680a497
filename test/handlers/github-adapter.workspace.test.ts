import { describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { createTreeCache } from '../../src/adapters/github/tree-cache.js';
import { ExternalServiceError, InvariantError } from '../../src/errors.js';
import { packTarball } from '../fakes/fake-github/tarball.js';
import { githubApi, mockTarball, octokitForTests, useHttpMock } from '../helpers/http-mock.js';

const REPO = { installationId: 7, owner: 'acme', repo: 'connectors' };
const BRANCH = 'lakeflow/acme-crm';
const HEAD = 'b'.repeat(40);
const TRAILER = 'Lakeflow-Job: acme-connectors-42-b1-implement-a1';

function createGitHub(trees = createTreeCache()) {
  return createOctokitGitHub({
    repo: REPO,
    getOctokit: async () => octokitForTests(),
    botLogin: 'bot[bot]',
    trees,
  });
}

const TARBALL = packTarball({
  prefix: `acme-connectors-${HEAD.slice(0, 7)}`,
  commit: HEAD,
  files: [
    { path: 'README.md', mode: '100644', content: Buffer.from('# connectors\n') },
    { path: 'src/a.py', mode: '100755', content: Buffer.from('a = 1\n') },
    { path: 'src/link', mode: '120000', content: Buffer.from('a.py') },
  ],
});

function commit(sha: string, message: string) {
  return { sha, commit: { message } };
}

describe('createOctokitGitHub workspace reads', () => {
  useHttpMock();

  describe('readTree', () => {
    it('downloads the tarball once through its redirect and reads it; later reads of the sha cost nothing', async () => {
      mockTarball({ repo: 'acme/connectors', sha: HEAD, tarball: TARBALL });
      const trees = createTreeCache();

      const [first, second] = await Promise.all([
        createGitHub(trees).readTree({ sha: HEAD }),
        createGitHub(trees).readTree({ sha: HEAD }),
      ]);
      const later = await createGitHub(trees).readTree({ sha: HEAD });

      expect([...first.keys()]).toEqual(['README.md', 'src/a.py', 'src/link']);
      expect(first.get('src/a.py')).toMatchObject({
        mode: '100755',
        body: { kind: 'text', text: 'a = 1\n' },
      });
      expect(first.get('src/link')).toMatchObject({
        mode: '120000',
        body: { kind: 'symlink', target: 'a.py' },
      });
      expect(second).toBe(first);
      expect(later).toBe(first);
    });

    it('downloads again after a failed download, which it did not keep', async () => {
      githubApi().get(`/repos/acme/connectors/tarball/${HEAD}`).reply(502, { message: 'Bad gateway' });
      mockTarball({ repo: 'acme/connectors', sha: HEAD, tarball: TARBALL });
      const github = createGitHub();

      await expect(github.readTree({ sha: HEAD })).rejects.toBeInstanceOf(ExternalServiceError);
      expect((await github.readTree({ sha: HEAD })).size).toBe(3);
    });

    it('throws ExternalServiceError for a damaged archive and InvariantError for a branch name', async () => {
      mockTarball({ repo: 'acme/connectors', sha: HEAD, tarball: TARBALL.subarray(0, TARBALL.length - 20) });
      const github = createGitHub();

      await expect(github.readTree({ sha: HEAD })).rejects.toThrow(
        /archive of acme\/connectors@bbbbbbbbbbbb is malformed/,
      );
      await expect(github.readTree({ sha: BRANCH })).rejects.toBeInstanceOf(InvariantError);
    });
  });

  describe('findCommitByTrailer', () => {
    it('returns the newest commit whose message has the exact trailer line', async () => {
      githubApi()
        .get('/repos/acme/connectors/commits')
        .query({ sha: BRANCH, per_page: '50' })
        .reply(200, [
          commit('c'.repeat(40), `test: acme_crm\n\n${TRAILER}-retry`),
          commit('d'.repeat(40), `implement: acme_crm (batch 1)\n\n${TRAILER}\n`),
          commit('e'.repeat(40), `implement: acme_crm\n\n${TRAILER}`),
        ]);

      expect(await createGitHub().findCommitByTrailer({ branch: BRANCH, trailer: TRAILER })).toBe(
        'd'.repeat(40),
      );
    });

    it('ignores the trailer text inside another line and honours the limit', async () => {
      githubApi()
        .get('/repos/acme/connectors/commits')
        .query({ sha: BRANCH, per_page: '5' })
        .reply(200, [commit('c'.repeat(40), `Revert "${TRAILER}"`)]);

      const found = await createGitHub().findCommitByTrailer({ branch: BRANCH, trailer: TRAILER, limit: 5 });

      expect(found).toBeNull();
    });

    it('returns null when the branch does not exist', async () => {
      githubApi()
        .get('/repos/acme/connectors/commits')
        .query({ sha: BRANCH, per_page: '100' })
        .reply(404, { message: 'Not Found' });

      const found = await createGitHub().findCommitByTrailer({
        branch: BRANCH,
        trailer: TRAILER,
        limit: 500,
      });

      expect(found).toBeNull();
    });
  });
});
