import { describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { StateConflictError } from '../../src/errors.js';
import { bodies, bodySpy, githubApi, octokitForTests, useHttpMock } from '../helpers/http-mock.js';

const REPO = { installationId: 7, owner: 'acme', repo: 'connectors' };
const BRANCH = 'lakeflow/acme-crm';
/** Octokit percent-encodes path parameters, the slashes of `heads/<branch>` included. */
const BRANCH_REF = '/repos/acme/connectors/git/ref/heads%2Flakeflow%2Facme-crm';
const MAIN_REF = '/repos/acme/connectors/git/ref/heads%2Fmain';
const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);

function createGitHub() {
  return createOctokitGitHub({ repo: REPO, getOctokit: async () => octokitForTests(), botLogin: 'bot[bot]' });
}

function ref(name: string, sha: string) {
  return { ref: `refs/heads/${name}`, object: { sha, type: 'commit' } };
}

describe('createOctokitGitHub git data', () => {
  useHttpMock();

  describe('getBranchHead', () => {
    it('returns the head sha of the branch', async () => {
      githubApi().get(BRANCH_REF).reply(200, ref(BRANCH, HEAD));

      expect(await createGitHub().getBranchHead(BRANCH)).toBe(HEAD);
    });

    it('returns null when the branch does not exist', async () => {
      githubApi().get(BRANCH_REF).reply(404, { message: 'Not Found' });

      expect(await createGitHub().getBranchHead(BRANCH)).toBeNull();
    });
  });

  describe('ensureBranch', () => {
    it('returns the head of an existing branch without writing', async () => {
      githubApi().get(BRANCH_REF).reply(200, ref(BRANCH, HEAD));

      expect(await createGitHub().ensureBranch(BRANCH)).toBe(HEAD);
    });

    it('creates the branch from the default branch head', async () => {
      const created = bodySpy();
      githubApi().get(BRANCH_REF).reply(404, { message: 'Not Found' });
      githubApi().get('/repos/acme/connectors').reply(200, { default_branch: 'main' });
      githubApi().get(MAIN_REF).reply(200, ref('main', BASE));
      githubApi().post('/repos/acme/connectors/git/refs', created).reply(201, ref(BRANCH, BASE));

      const head = await createGitHub().ensureBranch(BRANCH);

      expect(head).toBe(BASE);
      expect(bodies(created)).toEqual([{ ref: `refs/heads/${BRANCH}`, sha: BASE }]);
    });

    it('returns the winner head when another worker created the branch first', async () => {
      githubApi().get(BRANCH_REF).reply(404, { message: 'Not Found' });
      githubApi().get('/repos/acme/connectors').reply(200, { default_branch: 'main' });
      githubApi().get(MAIN_REF).reply(200, ref('main', BASE));
      githubApi().post('/repos/acme/connectors/git/refs').reply(422, { message: 'Reference already exists' });
      githubApi().get(BRANCH_REF).reply(200, ref(BRANCH, HEAD));

      expect(await createGitHub().ensureBranch(BRANCH)).toBe(HEAD);
    });
  });

  describe('commitFiles', () => {
    const changes = [
      {
        path: 'src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py',
        content: 'print("hi")\n',
      },
      { path: 'docs/acme_crm.md', content: '# Acme CRM ✓\n' },
      { path: 'old.txt', content: null },
    ];

    function mockParent(): void {
      githubApi().get(BRANCH_REF).reply(200, ref(BRANCH, HEAD));
      githubApi()
        .get(`/repos/acme/connectors/git/commits/${HEAD}`)
        .reply(200, { sha: HEAD, tree: { sha: 'tree-0' } });
    }

    it('writes blobs, a tree on the parent tree, a commit and a fast-forward ref update', async () => {
      const tree = bodySpy();
      const commit = bodySpy();
      const update = bodySpy();
      mockParent();
      githubApi().post('/repos/acme/connectors/git/trees', tree).reply(201, { sha: 'tree-1' });
      githubApi().post('/repos/acme/connectors/git/commits', commit).reply(201, { sha: 'commit-1' });
      githubApi()
        .patch('/repos/acme/connectors/git/refs/heads%2Flakeflow%2Facme-crm', update)
        .reply(200, ref(BRANCH, 'commit-1'));

      const result = await createGitHub().commitFiles({
        branch: BRANCH,
        expectedHeadSha: HEAD,
        message: 'Research: acme_crm\n\nLakeflow-Job: acme-connectors-42-research-a1',
        changes,
      });

      expect(result).toEqual({ sha: 'commit-1' });
      expect(bodies(tree)).toMatchInlineSnapshot(`
        [
          {
            "base_tree": "tree-0",
            "tree": [
              {
                "content": "print("hi")
        ",
                "mode": "100644",
                "path": "src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py",
                "type": "blob",
              },
              {
                "content": "# Acme CRM ✓
        ",
                "mode": "100644",
                "path": "docs/acme_crm.md",
                "type": "blob",
              },
              {
                "mode": "100644",
                "path": "old.txt",
                "sha": null,
                "type": "blob",
              },
            ],
          },
        ]
      `);
      expect(bodies(commit)).toEqual([
        {
          message: 'Research: acme_crm\n\nLakeflow-Job: acme-connectors-42-research-a1',
          tree: 'tree-1',
          parents: [HEAD],
        },
      ]);
      expect(bodies(update)).toEqual([{ sha: 'commit-1', force: false }]);
    });

    it('throws StateConflictError and writes nothing when the head moved', async () => {
      githubApi()
        .get(BRANCH_REF)
        .reply(200, ref(BRANCH, 'c'.repeat(40)));

      const commit = createGitHub().commitFiles({
        branch: BRANCH,
        expectedHeadSha: HEAD,
        message: 'm',
        changes,
      });

      await expect(commit).rejects.toBeInstanceOf(StateConflictError);
    });

    it('throws StateConflictError when the branch is gone', async () => {
      githubApi().get(BRANCH_REF).reply(404, { message: 'Not Found' });

      const commit = createGitHub().commitFiles({
        branch: BRANCH,
        expectedHeadSha: HEAD,
        message: 'm',
        changes,
      });

      await expect(commit).rejects.toBeInstanceOf(StateConflictError);
    });

    it('throws StateConflictError, never forcing, when the ref update is not a fast-forward', async () => {
      const update = bodySpy();
      mockParent();
      githubApi().post('/repos/acme/connectors/git/trees').reply(201, { sha: 'tree-1' });
      githubApi().post('/repos/acme/connectors/git/commits').reply(201, { sha: 'commit-1' });
      githubApi()
        .patch('/repos/acme/connectors/git/refs/heads%2Flakeflow%2Facme-crm', update)
        .reply(422, { message: 'Update is not a fast forward' });

      const commit = createGitHub().commitFiles({
        branch: BRANCH,
        expectedHeadSha: HEAD,
        message: 'm',
        changes,
      });

      const error = await commit.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StateConflictError);
      expect(error).toMatchObject({ retryable: true });
      expect(bodies(update)).toEqual([{ sha: 'commit-1', force: false }]);
    });

    it('makes no commit when there are no changes', async () => {
      githubApi().get(BRANCH_REF).reply(200, ref(BRANCH, HEAD));

      const result = await createGitHub().commitFiles({
        branch: BRANCH,
        expectedHeadSha: HEAD,
        message: 'm',
        changes: [],
      });

      expect(result).toEqual({ sha: HEAD });
    });
  });
});
