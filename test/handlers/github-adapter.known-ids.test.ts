import { describe, expect, it } from 'vitest';
import { createKnownIds } from '../../src/adapters/github/known-ids.js';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { renderMarker } from '../../src/domain/render/markers.js';
import { bodies, bodySpy, githubApi, octokitForTests, useHttpMock } from '../helpers/http-mock.js';

const REPO = { installationId: 7, owner: 'acme', repo: 'connectors' };
const BOT = 'lakeflow-connector-bot[bot]';
const COMMENTS = '/repos/acme/connectors/issues/42/comments';
const HEAD = 'a'.repeat(40);
const CHECKS_AT_HEAD = `/repos/acme/connectors/commits/${HEAD}/check-runs`;
const CHECK = 'lakeflow-connector-bot / research';

/** Two ports sharing one process's ids, as every job of the app does. */
function twoPorts() {
  const knownIds = createKnownIds();
  const port = () =>
    createOctokitGitHub({ repo: REPO, getOctokit: async () => octokitForTests(), botLogin: BOT, knownIds });
  return [port(), port()] as const;
}

function comment(id: number, body: string) {
  return {
    id,
    body,
    user: { login: BOT },
    html_url: `https://github.com/acme/connectors/issues/42#issuecomment-${id}`,
  };
}

const status = (text: string) => `${renderMarker('status')}\n${text}`;

describe('createOctokitGitHub with the ids the process knows', () => {
  useHttpMock();

  it('edits a comment it created before with one request, without listing the comments', async () => {
    const [first, second] = twoPorts();
    githubApi().get(COMMENTS).query({ per_page: 100 }).reply(200, []);
    githubApi()
      .post(COMMENTS)
      .reply(201, comment(9, status('Running research.')));
    await first.upsertComment({ issue: 42, key: 'status', body: status('Running research.') });

    const edited = bodySpy();
    githubApi()
      .patch('/repos/acme/connectors/issues/comments/9', edited)
      .reply(200, comment(9, status('Running auth.')));
    const ref = await second.upsertComment({ issue: 42, key: 'status', body: status('Running auth.') });

    expect(bodies(edited)).toEqual([{ body: status('Running auth.') }]);
    expect(ref.id).toBe(9);
  });

  it('looks the comment up again when the one it knew was deleted (404), and creates it', async () => {
    const [first, second] = twoPorts();
    githubApi()
      .get(COMMENTS)
      .query({ per_page: 100 })
      .reply(200, [comment(9, status('Running research.'))]);
    await first.upsertComment({ issue: 42, key: 'status', body: status('Running research.') });

    githubApi().patch('/repos/acme/connectors/issues/comments/9').reply(404, { message: 'Not Found' });
    githubApi().get(COMMENTS).query({ per_page: 100 }).reply(200, []);
    const created = bodySpy();
    githubApi()
      .post(COMMENTS, created)
      .reply(201, comment(12, status('Running auth.')));
    const ref = await second.upsertComment({ issue: 42, key: 'status', body: status('Running auth.') });

    expect(bodies(created)).toEqual([{ body: status('Running auth.') }]);
    expect(ref.id).toBe(12);
  });

  it('updates a check run it created before by id, without listing the commit’s check runs', async () => {
    const [first, second] = twoPorts();
    githubApi()
      .get(CHECKS_AT_HEAD)
      .query({ check_name: CHECK })
      .reply(200, { total_count: 0, check_runs: [] });
    githubApi().post('/repos/acme/connectors/check-runs').reply(201, { id: 55 });
    await first.upsertCheckRun({
      name: CHECK,
      headSha: HEAD,
      state: 'queued',
      title: 'queued',
      summary: 's',
    });

    const updated = bodySpy();
    githubApi().patch('/repos/acme/connectors/check-runs/55', updated).reply(200, { id: 55 });
    await second.upsertCheckRun({
      name: CHECK,
      headSha: HEAD,
      state: 'success',
      title: 'passed',
      summary: 's',
    });

    expect(bodies(updated)).toMatchObject([{ status: 'completed', conclusion: 'success' }]);
  });

  it('creates the check run again when the one it knew is gone (404)', async () => {
    const [first, second] = twoPorts();
    githubApi()
      .get(CHECKS_AT_HEAD)
      .query({ check_name: CHECK })
      .reply(200, { total_count: 1, check_runs: [{ id: 55 }] });
    githubApi().patch('/repos/acme/connectors/check-runs/55').reply(200, { id: 55 });
    await first.upsertCheckRun({
      name: CHECK,
      headSha: HEAD,
      state: 'queued',
      title: 'queued',
      summary: 's',
    });

    githubApi().patch('/repos/acme/connectors/check-runs/55').reply(404, { message: 'Not Found' });
    githubApi()
      .get(CHECKS_AT_HEAD)
      .query({ check_name: CHECK })
      .reply(200, { total_count: 0, check_runs: [] });
    const created = bodySpy();
    githubApi().post('/repos/acme/connectors/check-runs', created).reply(201, { id: 56 });
    await second.upsertCheckRun({
      name: CHECK,
      headSha: HEAD,
      state: 'success',
      title: 'passed',
      summary: 's',
    });

    expect(bodies(created)).toMatchObject([{ name: CHECK, head_sha: HEAD, status: 'completed' }]);
  });

  it('deletes a comment it knows by id and forgets it', async () => {
    const [first, second] = twoPorts();
    githubApi().get(COMMENTS).query({ per_page: 100 }).reply(200, []);
    githubApi()
      .post(COMMENTS)
      .reply(201, comment(9, `${renderMarker('request-errors')}\nx`));
    await first.upsertComment({
      issue: 42,
      key: 'request-errors',
      body: `${renderMarker('request-errors')}\nx`,
    });

    githubApi().delete('/repos/acme/connectors/issues/comments/9').reply(204);
    await second.deleteComment({ issue: 42, key: 'request-errors' });
    // Forgotten: the next delete looks first, and finds nothing to delete.
    githubApi().get(COMMENTS).query({ per_page: 100 }).reply(200, []);
    await second.deleteComment({ issue: 42, key: 'request-errors' });
  });
});
