import { ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { ExternalServiceError, InvariantError, StateConflictError } from '../../src/errors.js';
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
    const MESSAGE = 'research: acme_crm (batch 1)\n\nLakeflow-Job: acme-connectors-42-research-a1';
    const NEW = 'c'.repeat(40);
    const COMMIT_PATH = `/repos/acme/connectors/git/commits/${NEW}`;

    function commit(github = createGitHub()) {
      return github.commitFiles({ branch: BRANCH, expectedHeadSha: HEAD, message: MESSAGE, changes });
    }

    function created(oid: string) {
      return { data: { createCommitOnBranch: { commit: { oid } } } };
    }

    /** Probot's Octokit with its retry plugin on (as deployed), throttling off to keep the test quick. */
    function createRetryingGitHub() {
      const octokit = new ProbotOctokit({ auth: { token: 'test-token' }, throttle: { enabled: false } });
      return createOctokitGitHub({ repo: REPO, getOctokit: async () => octokit, botLogin: 'bot[bot]' });
    }

    it('commits in one createCommitOnBranch mutation: the expected head, base64 files, deletions, headline and body', async () => {
      const mutation = bodySpy();
      githubApi().post('/graphql', mutation).reply(200, created(NEW));

      const result = await commit();

      expect(result).toEqual({ sha: NEW });
      expect(bodies(mutation)).toMatchInlineSnapshot(`
        [
          {
            "query": "mutation CreateCommit($input: CreateCommitOnBranchInput!) {
          createCommitOnBranch(input: $input) { commit { oid } }
        }",
            "variables": {
              "input": {
                "branch": {
                  "branchName": "lakeflow/acme-crm",
                  "repositoryNameWithOwner": "acme/connectors",
                },
                "expectedHeadOid": "${HEAD}",
                "fileChanges": {
                  "additions": [
                    {
                      "contents": "cHJpbnQoImhpIikK",
                      "path": "src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py",
                    },
                    {
                      "contents": "IyBBY21lIENSTSDinJMK",
                      "path": "docs/acme_crm.md",
                    },
                  ],
                  "deletions": [
                    {
                      "path": "old.txt",
                    },
                  ],
                },
                "message": {
                  "body": "Lakeflow-Job: acme-connectors-42-research-a1",
                  "headline": "research: acme_crm (batch 1)",
                },
              },
            },
          },
        ]
      `);
      const [sent] = bodies(mutation) as Array<{
        variables: { input: { fileChanges: { additions: Array<{ path: string; contents: string }> } } };
      }>;
      const decoded = sent?.variables.input.fileChanges.additions.map(({ path, contents }) => ({
        path,
        content: Buffer.from(contents, 'base64').toString('utf8'),
      }));
      expect(decoded).toEqual(changes.filter((change) => change.content !== null));
    });

    it("throws StateConflictError on GitHub's STALE_DATA answer: the branch is no longer at the expected head", async () => {
      githubApi()
        .post('/graphql')
        .reply(200, {
          data: { createCommitOnBranch: null },
          errors: [
            {
              type: 'STALE_DATA',
              path: ['createCommitOnBranch'],
              locations: [{ line: 2, column: 3 }],
              message: `Expected branch to point to "${HEAD}" but it did not.  Pull and try again.`,
            },
          ],
        });

      const error = await commit().catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(StateConflictError);
      expect(error).toMatchObject({ retryable: true });
      expect(String(error)).toContain(BRANCH);
    });

    it('maps any other GraphQL error through toBotError, naming the field, its type and message, never as a conflict', async () => {
      githubApi()
        .post('/graphql')
        .reply(200, {
          data: { createCommitOnBranch: null },
          errors: [
            {
              type: 'FORBIDDEN',
              path: ['createCommitOnBranch'],
              message: 'Resource not accessible by integration',
            },
          ],
        });

      const error = await commit().catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(ExternalServiceError);
      expect(error).not.toBeInstanceOf(StateConflictError);
      expect((error as Error).message).toBe(
        'GitHub GraphQL request failed: createCommitOnBranch: FORBIDDEN: Resource not accessible by integration',
      );
    });

    it('fails for good on an answer without the commit oid', async () => {
      githubApi()
        .post('/graphql')
        .reply(200, { data: { createCommitOnBranch: { commit: null } } });

      await expect(commit()).rejects.toBeInstanceOf(InvariantError);
    });

    it('sends the mutation once on a 502 (no plugin retry) and returns the commit it finds applied at the head', async () => {
      githubApi().post('/graphql').reply(502, { message: 'Bad Gateway' });
      githubApi().get(BRANCH_REF).reply(200, ref(BRANCH, NEW));
      githubApi()
        .get(COMMIT_PATH)
        .reply(200, { sha: NEW, message: MESSAGE, parents: [{ sha: HEAD }], tree: { sha: 't' } });

      expect(await commit(createRetryingGitHub())).toEqual({ sha: NEW });
    });

    it('rethrows a 502 as retryable, sending nothing again, when the branch is still at the expected head', async () => {
      githubApi().post('/graphql').reply(502, { message: 'Bad Gateway' });
      githubApi().get(BRANCH_REF).reply(200, ref(BRANCH, HEAD));

      const error = await commit(createRetryingGitHub()).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(ExternalServiceError);
      expect((error as Error).message).toMatch(/502/);
    });

    it("rethrows a 502 when the head is someone else's commit (not this message on the expected head)", async () => {
      githubApi().post('/graphql').reply(503, { message: 'Service Unavailable' });
      githubApi().get(BRANCH_REF).reply(200, ref(BRANCH, NEW));
      githubApi()
        .get(COMMIT_PATH)
        .reply(200, { sha: NEW, message: 'Push by someone', parents: [{ sha: HEAD }], tree: { sha: 't' } });

      await expect(commit()).rejects.toThrow(/503/);
    });

    it('makes no request when there are no changes', async () => {
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
