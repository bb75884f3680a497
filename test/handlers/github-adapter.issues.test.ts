import { describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { renderMarker } from '../../src/domain/render/markers.js';
import { bodies, bodySpy, githubApi, octokitForTests, useHttpMock } from '../helpers/http-mock.js';

const REPO = { installationId: 7, owner: 'acme', repo: 'connectors' };
const BOT = 'lakeflow-connector-bot[bot]';
const ISSUES = '/repos/acme/connectors/issues';
const LIST = { creator: BOT, state: 'all', sort: 'created', direction: 'asc', per_page: 100 };
const DASHBOARD = `${renderMarker('dashboard')}\n## Lakeflow connector runs`;

function createGitHub() {
  return createOctokitGitHub({ repo: REPO, getOctokit: async () => octokitForTests(), botLogin: BOT });
}

function issue(number: number, login: string, body: string | null, extra: Record<string, unknown> = {}) {
  return {
    number,
    body,
    state: 'open',
    user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
    html_url: `https://github.com/acme/connectors/issues/${number}`,
    ...extra,
  };
}

describe('createOctokitGitHub issues', () => {
  useHttpMock();

  describe('findOwnIssue', () => {
    it("asks for the bot's issues only and takes the oldest carrying the marker, closed or not", async () => {
      githubApi()
        .get(ISSUES)
        .query(LIST)
        .reply(200, [
          issue(3, BOT, DASHBOARD, { pull_request: { url: 'x' } }),
          issue(4, BOT, `${renderMarker('dashboard-old')}\nx`),
          issue(5, BOT, DASHBOARD, { state: 'closed' }),
          issue(9, BOT, DASHBOARD),
        ]);

      const found = await createGitHub().findOwnIssue('dashboard');

      expect(found).toEqual({
        number: 5,
        body: DASHBOARD,
        open: false,
        url: 'https://github.com/acme/connectors/issues/5',
      });
    });

    it('never takes an issue someone else opened with the marker, even if GitHub lists it', async () => {
      githubApi()
        .get(ISSUES)
        .query(LIST)
        .reply(200, [issue(2, 'mallory', DASHBOARD), issue(6, BOT, null)]);

      expect(await createGitHub().findOwnIssue('dashboard')).toBeNull();
    });

    it('pages on until it finds it', async () => {
      githubApi()
        .get(ISSUES)
        .query(LIST)
        .reply(200, [issue(1, BOT, 'no marker')], {
          link: `<https://api.github.com${ISSUES}?per_page=100&page=2>; rel="next"`,
        });
      githubApi()
        .get(ISSUES)
        .query({ per_page: 100, page: 2 })
        .reply(200, [issue(120, BOT, DASHBOARD)]);

      expect((await createGitHub().findOwnIssue('dashboard'))?.number).toBe(120);
    });
  });

  describe('createIssue', () => {
    it('opens the issue with its title and body', async () => {
      const created = bodySpy();
      githubApi()
        .post(ISSUES, created)
        .reply(201, issue(11, BOT, DASHBOARD));

      const ref = await createGitHub().createIssue({ key: 'dashboard', title: 'Runs', body: DASHBOARD });

      expect(bodies(created)).toEqual([{ title: 'Runs', body: DASHBOARD }]);
      expect(ref).toEqual({ number: 11, url: 'https://github.com/acme/connectors/issues/11' });
    });

    it('finds the issue a failed create made after all instead of opening a second one', async () => {
      const created = bodySpy();
      githubApi().post(ISSUES, created).reply(502, { message: 'Server Error' });
      githubApi()
        .get(ISSUES)
        .query(LIST)
        .reply(200, [issue(12, BOT, DASHBOARD)]);

      const ref = await createGitHub().createIssue({ key: 'dashboard', title: 'Runs', body: DASHBOARD });

      expect(bodies(created)).toHaveLength(1);
      expect(ref.number).toBe(12);
    });
  });

  describe('editIssueBody', () => {
    it('replaces the body only', async () => {
      const edited = bodySpy();
      githubApi()
        .patch(`${ISSUES}/11`, edited)
        .reply(200, issue(11, BOT, 'new'));

      await createGitHub().editIssueBody({ number: 11, body: 'new' });

      expect(bodies(edited)).toEqual([{ body: 'new' }]);
    });
  });
});
