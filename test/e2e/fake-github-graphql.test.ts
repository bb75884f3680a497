import type { ProbotOctokit } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { ExternalServiceError, StateConflictError } from '../../src/errors.js';
import { commitChanges } from '../../src/workspace/commit-changes.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { fakeOctokit } from '../helpers/app-octokit.js';

const owner = 'acme';
const repo = 'connectors';

describe('the fake GitHub GraphQL minimizeComment', () => {
  let fake: FakeGitHub;
  let octokit: ProbotOctokit;

  beforeEach(async () => {
    fake = await startFakeGitHub({ now: () => new Date('2025-03-01T12:00:00Z') });
    fake.addRepo({ owner, repo, files: { 'README.md': '# connectors\n' } });
    fake.addIssue({ owner, repo, number: 7, title: 'New connector: Acme', body: 'please', user: 'alice' });
    octokit = fakeOctokit(fake.url);
  });

  afterEach(async () => {
    await fake.close();
  });

  function github() {
    return createOctokitGitHub({
      repo: { installationId: 1, owner, repo },
      getOctokit: async () => octokit,
      botLogin: 'lakeflow-bot[bot]',
    });
  }

  /** The node id GitHub shows for a comment (read through the REST listing, as a webhook carries it). */
  async function nodeIdOf(commentId: number): Promise<string> {
    const { data } = await octokit.rest.issues.listComments({ owner, repo, issue_number: 7 });
    const found = data.find((comment) => comment.id === commentId);
    if (found === undefined) throw new Error(`no comment ${commentId}`);
    return found.node_id;
  }

  it('hides the comment the adapter names, as outdated, and leaves the others alone', async () => {
    const secret = fake.addComment({ owner, repo, issue: 7, body: 'password: hunter22', user: 'mallory' });
    const other = fake.addComment({ owner, repo, issue: 7, body: 'thanks!', user: 'alice' });

    await github().minimizeComment(await nodeIdOf(secret.id));
    await github().minimizeComment(await nodeIdOf(secret.id));

    const comments = fake.comments(owner, repo, 7);
    expect(comments.find((c) => c.id === secret.id)?.minimizedAs).toBe('OUTDATED');
    expect(comments.find((c) => c.id === other.id)?.minimizedAs).toBeUndefined();
    fake.assertNoViolations();
  });

  it('answers NOT_FOUND for an unknown comment, which the adapter reports as a GitHub failure', async () => {
    const failure = github().minimizeComment('IC_nope');

    await expect(failure).rejects.toBeInstanceOf(ExternalServiceError);
    await expect(failure).rejects.toThrow(/Could not resolve to a node/);
  });

  it.each([
    [
      'a missing classifier',
      'mutation($id: ID!) { minimizeComment(input: { subjectId: $id }) { clientMutationId } }',
      /missing subjectId or classifier/,
    ],
    [
      'an unknown classifier',
      'mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: HIDDEN }) { clientMutationId } }',
      /invalid value \(HIDDEN\)/,
    ],
    [
      'a missing subject',
      'mutation { minimizeComment(input: { classifier: SPAM }) { clientMutationId } }',
      /missing subjectId/,
    ],
  ])('refuses %s', async (_name, query, message) => {
    const comment = fake.addComment({ owner, repo, issue: 7, body: 'x', user: 'mallory' });

    await expect(octokit.graphql(query, { id: await nodeIdOf(comment.id) })).rejects.toThrow(message);
    expect(fake.comments(owner, repo, 7)[0]?.minimizedAs).toBeUndefined();
  });
});

describe('the fake GitHub GraphQL createCommitOnBranch', () => {
  const branch = 'lakeflow/acme';
  const CREATE = `mutation Create($input: CreateCommitOnBranchInput!) {
    createCommitOnBranch(input: $input) { commit { oid url } }
  }`;
  let fake: FakeGitHub;
  let octokit: ProbotOctokit;
  let base: string;

  beforeEach(async () => {
    fake = await startFakeGitHub({ now: () => new Date('2025-03-01T12:00:00Z') });
    fake.addRepo({ owner, repo, files: { 'README.md': '# connectors\n', 'old.py': 'x = 1\n' } });
    base = fake.pushCommit({ owner, repo, branch, message: 'start', files: { 'start.txt': 's\n' } });
    octokit = fakeOctokit(fake.url);
  });

  afterEach(async () => {
    await fake.close();
  });

  function github() {
    return createOctokitGitHub({
      repo: { installationId: 1, owner, repo },
      getOctokit: async () => octokit,
      botLogin: 'lakeflow-bot[bot]',
    });
  }

  function input(overrides: Record<string, unknown> = {}) {
    return {
      branch: { repositoryNameWithOwner: `${owner}/${repo}`, branchName: branch },
      expectedHeadOid: base,
      message: { headline: 'raw' },
      fileChanges: { additions: [{ path: 'raw.txt', contents: Buffer.from('raw\n').toString('base64') }] },
      ...overrides,
    };
  }

  const commitRequests = () => fake.received.filter((request) => request.graphql === 'createCommitOnBranch');

  it('applies base64 additions and deletions on the head, with the head as parent, and moves the branch', async () => {
    const message = 'implement: acme (batch 1)\n\nLakeflow-Job: acme-connectors-7-b1-implement-a1';

    const { sha } = await github().commitFiles({
      branch,
      expectedHeadSha: base,
      message,
      changes: [
        { path: 'src/acme.py', content: 'print("é ✓")\n' },
        { path: 'README.md', content: '# changed\n' },
        { path: 'old.py', content: null },
      ],
    });

    expect(fake.filesAt(owner, repo, branch)).toEqual({
      'README.md': '# changed\n',
      'start.txt': 's\n',
      'src/acme.py': 'print("é ✓")\n',
    });
    const [head] = fake.commitsOn(owner, repo, branch);
    expect(head).toEqual({ sha, message, parents: [base] });
    expect(
      await github().findCommitByTrailer({
        branch,
        trailer: 'Lakeflow-Job: acme-connectors-7-b1-implement-a1',
      }),
    ).toBe(sha);
    expect(commitRequests().map((request) => request.status)).toEqual([200]);
    fake.assertNoViolations();
  });

  it("refuses a moved head with GitHub's STALE_DATA answer and writes nothing; the adapter throws StateConflictError", async () => {
    const moved = fake.pushCommit({ owner, repo, branch, message: 'someone', files: { 'x.txt': 'x\n' } });

    const answer = await octokit
      .graphql(CREATE, { input: input() })
      .catch((error: unknown) => (error as { response: unknown }).response);
    const viaAdapter = github().commitFiles({
      branch,
      expectedHeadSha: base,
      message: 'm',
      changes: [{ path: 'a.txt', content: 'a\n' }],
    });

    expect(answer).toMatchObject({
      data: { createCommitOnBranch: null },
      errors: [
        {
          type: 'STALE_DATA',
          path: ['createCommitOnBranch'],
          message: `Expected branch to point to "${base}" but it did not.  Pull and try again.`,
        },
      ],
    });
    await expect(viaAdapter).rejects.toBeInstanceOf(StateConflictError);
    expect(fake.commitsOn(owner, repo, branch)[0]?.sha).toBe(moved);
    fake.assertNoViolations();
  });

  it("names the branch by its ref's node id too, and joins headline and body with a blank line", async () => {
    const { data } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });

    const result = await octokit.graphql<{ createCommitOnBranch: { commit: { oid: string; url: string } } }>(
      CREATE,
      { input: input({ branch: { id: data.node_id }, message: { headline: 'h', body: 'b\n\nc' } }) },
    );

    const oid = result.createCommitOnBranch.commit.oid;
    expect(fake.commitsOn(owner, repo, branch)[0]).toEqual({
      sha: oid,
      message: 'h\n\nb\n\nc',
      parents: [base],
    });
    expect(result.createCommitOnBranch.commit.url).toBe(`${fake.url}/${owner}/${repo}/commit/${oid}`);
  });

  it.each([
    [
      'contents that are not base64',
      () => input({ fileChanges: { additions: [{ path: 'a', contents: 'not base64!' }] } }),
      /invalid value for fileChanges\.additions\.0\.contents/,
    ],
    [
      'a deletion of a path the head lacks',
      () => input({ fileChanges: { deletions: [{ path: 'nope.txt' }] } }),
      /does not exist as of commit oid/,
    ],
    [
      'an unknown branch',
      () => input({ branch: { repositoryNameWithOwner: `${owner}/${repo}`, branchName: 'nope' } }),
      /Could not resolve to a branch/,
    ],
    ['a missing headline', () => input({ message: {} }), /invalid value for message\.headline/],
  ])('refuses %s and writes nothing', async (_name, refused, message) => {
    await expect(octokit.graphql(CREATE, { input: refused() })).rejects.toThrow(message);

    expect(fake.commitsOn(owner, repo, branch)[0]?.sha).toBe(base);
  });

  it('fails like any route: after applying, the adapter finds the commit at the head and it is made once', async () => {
    fake.faults = (request) =>
      request.graphql === 'createCommitOnBranch' ? { when: 'after', status: 502 } : null;

    const { sha } = await github().commitFiles({
      branch,
      expectedHeadSha: base,
      message: 'm\n\nLakeflow-Job: j',
      changes: [{ path: 'a.txt', content: 'a\n' }],
    });

    expect(commitRequests().map((request) => request.status)).toEqual([502]);
    const [made, parent] = fake.commitsOn(owner, repo, branch);
    expect([made?.sha, parent?.sha]).toEqual([sha, base]);
    expect(fake.filesAt(owner, repo, branch)['a.txt']).toBe('a\n');
  });

  it('fails like any route: before applying, the adapter reports a retryable failure and nothing is written', async () => {
    fake.faults = (request) =>
      request.graphql === 'createCommitOnBranch' ? { when: 'before', status: 503 } : null;

    const failure = github().commitFiles({
      branch,
      expectedHeadSha: base,
      message: 'm',
      changes: [{ path: 'a.txt', content: 'a\n' }],
    });

    await expect(failure).rejects.toBeInstanceOf(ExternalServiceError);
    expect(fake.commitsOn(owner, repo, branch)[0]?.sha).toBe(base);
  });

  it("a commit applied whose answer and look-up both failed is found by its job's trailer on the retry, never made twice", async () => {
    // The mutation lands but answers 502, and the adapter's look-up at the head fails too: the job
    // fails retryably. Its retry's compare-and-set on the old base is refused (the branch moved), and
    // the commit with its trailer is found at the new head and returned.
    fake.faults = (request) =>
      request.graphql === 'createCommitOnBranch' ||
      request.operation === 'GET /repos/{owner}/{repo}/git/ref/{ref}'
        ? { when: 'after', status: 502 }
        : null;
    const params = {
      branch,
      baseSha: base,
      message: 'implement: acme',
      jobId: 'acme-7-implement-a1',
      changes: async () => [{ path: 'a.txt', status: 'added' as const, content: 'a\n' }],
    };

    await expect(commitChanges(github(), params)).rejects.toBeInstanceOf(ExternalServiceError);
    fake.faults = undefined;
    const retried = await commitChanges(github(), params);

    const made = fake
      .commitsOn(owner, repo, branch)
      .filter((commit) => commit.message.includes('Lakeflow-Job: acme-7-implement-a1'));
    expect(made).toHaveLength(1);
    expect(retried).toEqual({ sha: made[0]?.sha, committed: false, reason: 'already_committed' });
    expect(commitRequests()).toHaveLength(2);
  });
});
