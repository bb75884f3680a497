import { describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { bodies, bodySpy, githubApi, octokitForTests, useHttpMock } from '../helpers/http-mock.js';

const REPO = { installationId: 7, owner: 'acme', repo: 'connectors' };
const BRANCH = 'lakeflow/acme-crm';
const PULLS = '/repos/acme/connectors/pulls';
const OPEN_FROM_BRANCH = { head: `acme:${BRANCH}`, state: 'open' };

function createGitHub() {
  return createOctokitGitHub({ repo: REPO, getOctokit: async () => octokitForTests(), botLogin: 'bot[bot]' });
}

function pull(params: { number: number; body: string | null; draft: boolean }) {
  return {
    number: params.number,
    node_id: `PR_node${params.number}`,
    html_url: `https://github.com/acme/connectors/pull/${params.number}`,
    body: params.body,
    draft: params.draft,
    state: 'open',
    head: { ref: BRANCH, sha: 'b'.repeat(40) },
  };
}

describe('createOctokitGitHub pull requests and labels', () => {
  useHttpMock();

  describe('ensurePullRequest', () => {
    const params = { branch: BRANCH, title: 'Add the acme_crm connector', body: 'Body v2', labels: [] };

    it('returns the open PR from the branch without writing when the body matches', async () => {
      githubApi()
        .get(PULLS)
        .query(OPEN_FROM_BRANCH)
        .reply(200, [pull({ number: 9, body: 'Body v2', draft: true })]);

      const found = await createGitHub().ensurePullRequest(params);

      expect(found).toEqual({ number: 9, url: 'https://github.com/acme/connectors/pull/9' });
    });

    it('edits only the body of the open PR when it differs', async () => {
      const edited = bodySpy();
      githubApi()
        .get(PULLS)
        .query(OPEN_FROM_BRANCH)
        .reply(200, [pull({ number: 9, body: 'Body v1', draft: true })]);
      githubApi()
        .patch(`${PULLS}/9`, edited)
        .reply(200, pull({ number: 9, body: 'Body v2', draft: true }));

      await createGitHub().ensurePullRequest({ ...params, labels: ['needs-live-testing'] });

      expect(bodies(edited)).toEqual([{ body: 'Body v2' }]);
    });

    it('opens a draft PR against the default branch and adds its labels', async () => {
      const created = bodySpy();
      const labelled = bodySpy();
      githubApi().get(PULLS).query(OPEN_FROM_BRANCH).reply(200, []);
      githubApi().get('/repos/acme/connectors').reply(200, { default_branch: 'main' });
      githubApi()
        .post(PULLS, created)
        .reply(201, pull({ number: 12, body: 'Body v2', draft: true }));
      githubApi()
        .post('/repos/acme/connectors/issues/12/labels', labelled)
        .reply(200, [{ name: 'needs-live-testing' }]);

      const opened = await createGitHub().ensurePullRequest({ ...params, labels: ['needs-live-testing'] });

      expect(opened).toEqual({ number: 12, url: 'https://github.com/acme/connectors/pull/12' });
      expect(bodies(created)).toEqual([
        { title: 'Add the acme_crm connector', head: BRANCH, base: 'main', body: 'Body v2', draft: true },
      ]);
      expect(bodies(labelled)).toEqual([{ labels: ['needs-live-testing'] }]);
    });

    it('opens a draft PR with no label request when there are no labels', async () => {
      githubApi().get(PULLS).query(OPEN_FROM_BRANCH).reply(200, []);
      githubApi().get('/repos/acme/connectors').reply(200, { default_branch: 'develop' });
      githubApi()
        .post(PULLS)
        .reply(201, pull({ number: 12, body: 'Body v2', draft: true }));

      expect((await createGitHub().ensurePullRequest(params)).number).toBe(12);
    });

    it('returns the PR another worker opened first (422 on create)', async () => {
      githubApi().get(PULLS).query(OPEN_FROM_BRANCH).reply(200, []);
      githubApi().get('/repos/acme/connectors').reply(200, { default_branch: 'main' });
      githubApi()
        .post(PULLS)
        .reply(422, { message: 'A pull request already exists for acme:lakeflow/acme-crm.' });
      githubApi()
        .get(PULLS)
        .query(OPEN_FROM_BRANCH)
        .reply(200, [pull({ number: 13, body: 'Body v2', draft: true })]);

      expect((await createGitHub().ensurePullRequest(params)).number).toBe(13);
    });
  });

  describe('markPullRequestReady', () => {
    it('marks a draft ready through GraphQL, then requests reviewers', async () => {
      const mutation = bodySpy();
      const requested = bodySpy();
      githubApi()
        .get(`${PULLS}/9`)
        .reply(200, pull({ number: 9, body: 'b', draft: true }));
      githubApi()
        .post('/graphql', mutation)
        .reply(200, { data: { markPullRequestReadyForReview: { pullRequest: { isDraft: false } } } });
      githubApi().post(`${PULLS}/9/requested_reviewers`, requested).reply(201, { number: 9 });

      await createGitHub().markPullRequestReady({ number: 9, reviewers: ['alice'] });

      expect(bodies(mutation)).toMatchInlineSnapshot(`
        [
          {
            "query": "mutation MarkReady($id: ID!) {
          markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } }
        }",
            "variables": {
              "id": "PR_node9",
            },
          },
        ]
      `);
      expect(bodies(requested)).toEqual([{ reviewers: ['alice'] }]);
    });

    it('sends no mutation and no review request for a ready PR without reviewers', async () => {
      githubApi()
        .get(`${PULLS}/9`)
        .reply(200, pull({ number: 9, body: 'b', draft: false }));

      await expect(
        createGitHub().markPullRequestReady({ number: 9, reviewers: [] }),
      ).resolves.toBeUndefined();
    });
  });

  describe('getPullRequest', () => {
    it('returns the head branch, body and draft flag', async () => {
      githubApi()
        .get(`${PULLS}/9`)
        .reply(200, pull({ number: 9, body: null, draft: true }));

      const found = await createGitHub().getPullRequest(9);

      expect(found).toEqual({ number: 9, headBranch: BRANCH, body: '', draft: true });
    });

    it('returns null when there is no such PR', async () => {
      githubApi().get(`${PULLS}/404`).reply(404, { message: 'Not Found' });

      expect(await createGitHub().getPullRequest(404)).toBeNull();
    });
  });

  describe('setLabels', () => {
    it('adds all labels in one request (GitHub creates missing ones) and removes only those the issue carries', async () => {
      const added = bodySpy();
      githubApi().post('/repos/acme/connectors/issues/9/labels', added).reply(200, []);
      githubApi()
        .get('/repos/acme/connectors/issues/9')
        .reply(200, { number: 9, labels: [{ name: 'Lakeflow:Research' }, 'connector'] });
      githubApi().delete('/repos/acme/connectors/issues/9/labels/lakeflow%3Aresearch').reply(200, []);

      await createGitHub().setLabels({
        issue: 9,
        add: ['lakeflow:testing', 'connector', 'connector'],
        remove: ['lakeflow:research', 'needs live testing'],
      });

      expect(bodies(added)).toEqual([{ labels: ['lakeflow:testing', 'connector'] }]);
    });

    it('takes a label removed meanwhile (404) as removed', async () => {
      githubApi()
        .get('/repos/acme/connectors/issues/9')
        .reply(200, { number: 9, labels: [{ name: 'stale' }] });
      githubApi()
        .delete('/repos/acme/connectors/issues/9/labels/stale')
        .reply(404, { message: 'Label does not exist' });

      await expect(
        createGitHub().setLabels({ issue: 9, add: [], remove: ['stale'] }),
      ).resolves.toBeUndefined();
    });

    it('makes no request when there is nothing to add or remove', async () => {
      await expect(createGitHub().setLabels({ issue: 9, add: [], remove: [] })).resolves.toBeUndefined();
    });
  });
});
