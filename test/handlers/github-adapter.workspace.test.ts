import { describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { createTreeCache } from '../../src/adapters/github/tree-cache.js';
import { ExternalServiceError, InvariantError } from '../../src/errors.js';
import { packTarball } from '../fakes/fake-github/tarball.js';
import { githubApi, mockTarball, octokitForTests, useHttpMock } from '../helpers/http-mock.js';

const REPO = { installationId: 7, owner: 'acme', repo: 'connectors' };
const BRANCH = 'lakeflow/acme-crm';
/** Octokit percent-encodes path parameters, the slashes of `heads/<branch>` included. */
const BRANCH_REF = '/repos/acme/connectors/git/ref/heads%2Flakeflow%2Facme-crm';
const HEAD = 'b'.repeat(40);
const TREE = 't'.repeat(40);
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

function mockCommit(sha: string): void {
  githubApi()
    .get(`/repos/acme/connectors/git/commits/${sha}`)
    .reply(200, { sha, tree: { sha: TREE } });
}

function tree(truncated: boolean) {
  return {
    sha: TREE,
    truncated,
    tree: [
      { path: 'README.md', mode: '100644', type: 'blob', sha: '1'.repeat(40), size: 14 },
      { path: 'src', mode: '040000', type: 'tree', sha: '2'.repeat(40) },
      { path: 'src/a.py', mode: '100755', type: 'blob', sha: '3'.repeat(40), size: 9 },
      { path: 'src/link', mode: '120000', type: 'blob', sha: '4'.repeat(40), size: 4 },
      { path: 'vendor/lib', mode: '160000', type: 'commit', sha: '5'.repeat(40) },
    ],
  };
}

function commit(sha: string, message: string) {
  return { sha, commit: { message } };
}

describe('createOctokitGitHub workspace reads', () => {
  useHttpMock();

  describe('listFiles', () => {
    it('resolves a branch to its commit tree and lists its blobs recursively', async () => {
      githubApi()
        .get(BRANCH_REF)
        .reply(200, { ref: `refs/heads/${BRANCH}`, object: { sha: HEAD, type: 'commit' } });
      mockCommit(HEAD);
      githubApi()
        .get(`/repos/acme/connectors/git/trees/${TREE}`)
        .query({ recursive: '1' })
        .reply(200, tree(false));

      const files = await createGitHub().listFiles({ ref: BRANCH });

      expect(files).toEqual([
        { path: 'README.md', mode: '100644', type: 'blob', size: 14 },
        { path: 'src/a.py', mode: '100755', type: 'blob', size: 9 },
        { path: 'src/link', mode: '120000', type: 'blob', size: 4 },
      ]);
    });

    it('reads a commit sha without resolving a branch', async () => {
      mockCommit(HEAD);
      githubApi()
        .get(`/repos/acme/connectors/git/trees/${TREE}`)
        .query({ recursive: '1' })
        .reply(200, tree(false));

      expect(await createGitHub().listFiles({ ref: HEAD })).toHaveLength(3);
    });

    it('throws ExternalServiceError when GitHub truncates the tree', async () => {
      mockCommit(HEAD);
      githubApi()
        .get(`/repos/acme/connectors/git/trees/${TREE}`)
        .query({ recursive: '1' })
        .reply(200, tree(true));

      const listing = createGitHub().listFiles({ ref: HEAD });

      await expect(listing).rejects.toBeInstanceOf(ExternalServiceError);
      await expect(listing).rejects.toThrow(/too large/);
    });

    it('throws InvariantError when the branch does not exist', async () => {
      githubApi().get(BRANCH_REF).reply(404, { message: 'Not Found' });

      await expect(createGitHub().listFiles({ ref: BRANCH })).rejects.toBeInstanceOf(InvariantError);
    });
  });

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
