import { describe, expect, it, vi } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { ExternalServiceError, InvariantError } from '../../src/errors.js';
import {
  githubApi,
  installationOctokitForTests,
  mockInstallationToken,
  octokitForTests,
  useHttpMock,
} from '../helpers/http-mock.js';

const REPO = { installationId: 7, owner: 'acme', repo: 'connectors' };
const BRANCH_REF = '/repos/acme/connectors/git/ref/heads%2Fmain';

function createGitHub() {
  return createOctokitGitHub({ repo: REPO, getOctokit: async () => octokitForTests(), botLogin: 'bot[bot]' });
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('createOctokitGitHub errors', () => {
  useHttpMock();

  it('wraps a 502 in a retryable ExternalServiceError keeping the cause', async () => {
    githubApi().get(BRANCH_REF).reply(502, { message: 'Server Error' });

    const error = await failureOf(createGitHub().getBranchHead('main'));

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error).toMatchObject({ retryable: true, cause: { status: 502 } });
  });

  it('wraps a network failure in a retryable ExternalServiceError', async () => {
    githubApi().get(BRANCH_REF).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });

    const error = await failureOf(createGitHub().getBranchHead('main'));

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(/^GitHub GET \S+ got no response: /);
  });

  it('names the permission GitHub asks for on a 403', async () => {
    githubApi().post('/repos/acme/connectors/check-runs').reply(
      403,
      { message: 'Resource not accessible by integration' },
      {
        'x-accepted-github-permissions': 'checks=write',
      },
    );
    githubApi()
      .get('/repos/acme/connectors/commits/abc/check-runs')
      .query({ check_name: 'c' })
      .reply(200, { check_runs: [] });

    const error = await failureOf(
      createGitHub().upsertCheckRun({ name: 'c', headSha: 'abc', state: 'queued', title: 't', summary: 's' }),
    );

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect((error as Error).message).toBe(
      'The GitHub App lacks a permission for POST https://api.github.com/repos/acme/connectors/check-runs: ' +
        'it needs checks=write. Grant it in the app settings and accept the new permissions on the installation.',
    );
  });

  it('lists every permission set GitHub accepts', async () => {
    githubApi().get(BRANCH_REF).reply(
      403,
      { message: 'Resource not accessible by integration' },
      {
        'x-accepted-github-permissions': 'contents=read; workflows=read,pull_requests=read',
      },
    );

    const error = await failureOf(createGitHub().getBranchHead('main'));

    expect((error as Error).message).toContain(
      'it needs contents=read or workflows=read,pull_requests=read.',
    );
  });

  it('reports a rate-limited 403 as a retryable rate limit', async () => {
    githubApi()
      .get(BRANCH_REF)
      .reply(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0' });

    const error = await failureOf(createGitHub().getBranchHead('main'));

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect((error as Error).message).toBe(`GitHub rate limit hit on GET https://api.github.com${BRANCH_REF}`);
  });

  it('fails for good on a request GitHub will never accept (422)', async () => {
    githubApi().get('/repos/acme/connectors/issues/42/comments').query({ per_page: 100 }).reply(200, []);
    githubApi().post('/repos/acme/connectors/issues/42/comments').reply(422, { message: 'Body is too long' });

    const error = await failureOf(createGitHub().upsertComment({ issue: 42, key: 'status', body: 'x' }));

    expect(error).toBeInstanceOf(InvariantError);
    expect(error).toMatchObject({ retryable: false });
  });

  it('fails for good on a response missing a field it reads', async () => {
    githubApi().get(BRANCH_REF).reply(200, { object: {} });

    const error = await failureOf(createGitHub().getBranchHead('main'));

    expect(error).toBeInstanceOf(InvariantError);
  });

  it('wraps GraphQL errors in an ExternalServiceError', async () => {
    githubApi()
      .get('/repos/acme/connectors/pulls/9')
      .reply(200, { number: 9, node_id: 'PR_9', html_url: 'u', body: '', draft: true, head: { ref: 'b' } });
    githubApi()
      .post('/graphql')
      .reply(200, {
        data: null,
        errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }],
      });

    const error = await failureOf(createGitHub().markPullRequestReady({ number: 9, reviewers: [] }));

    expect(error).toBeInstanceOf(ExternalServiceError);
  });

  it('gets the Octokit once per port and again after a failed attempt', async () => {
    const getOctokit = vi
      .fn<() => Promise<ReturnType<typeof octokitForTests>>>()
      .mockRejectedValueOnce(new Error('token service down'))
      .mockImplementation(async () => octokitForTests());
    const github = createOctokitGitHub({ repo: REPO, getOctokit, botLogin: 'bot[bot]' });
    githubApi()
      .get(BRANCH_REF)
      .twice()
      .reply(200, { object: { sha: 'abc' } });

    const first = await failureOf(github.getBranchHead('main'));
    await github.getBranchHead('main');
    await github.getBranchHead('main');

    expect(first).toBeInstanceOf(ExternalServiceError);
    expect(getOctokit).toHaveBeenCalledTimes(2);
  });

  it('works with the installation client Probot creates, fetching its token first', async () => {
    const token = mockInstallationToken(7);
    githubApi()
      .matchHeader('authorization', 'token test-token')
      .get('/repos/acme/connectors/collaborators/alice/permission')
      .reply(200, { permission: 'write', role_name: 'write' });
    const github = createOctokitGitHub({
      repo: REPO,
      getOctokit: () => installationOctokitForTests(7),
      botLogin: 'bot[bot]',
    });

    const permission = await github.getPermission('alice');

    expect(permission).toBe('write');
    expect(token.isDone()).toBe(true);
  });
});
