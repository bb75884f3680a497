import type { ProbotOctokit } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { ExternalServiceError } from '../../src/errors.js';
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
