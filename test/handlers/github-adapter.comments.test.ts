import { describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { renderMarker } from '../../src/domain/render/markers.js';
import { ExternalServiceError } from '../../src/errors.js';
import { bodies, bodySpy, githubApi, octokitForTests, useHttpMock } from '../helpers/http-mock.js';

const REPO = { installationId: 7, owner: 'acme', repo: 'connectors' };
const BOT = 'lakeflow-connector-bot[bot]';
const COMMENTS = '/repos/acme/connectors/issues/42/comments';

function createGitHub() {
  return createOctokitGitHub({ repo: REPO, getOctokit: async () => octokitForTests(), botLogin: BOT });
}

function comment(id: number, login: string, body: string) {
  return {
    id,
    body,
    user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
    html_url: `https://github.com/acme/connectors/issues/42#issuecomment-${id}`,
  };
}

const STATUS = `${renderMarker('status')}\nRunning research.`;

describe('createOctokitGitHub comments', () => {
  useHttpMock();

  describe('listCommentsSince', () => {
    it("reads people's comments since a time, leaving out those created before it and edited since", async () => {
      const since = '2026-11-25T12:00:00.000Z';
      const at = (created: string) => ({ created_at: created });
      githubApi()
        .get(COMMENTS)
        .query({ since, per_page: 100 })
        .reply(200, [
          { ...comment(1, 'alice', '/approve (edited later)'), ...at('2026-11-25T11:59:00Z') },
          { ...comment(2, 'bob', '/approve'), ...at('2026-11-25T12:00:05Z') },
          { ...comment(3, BOT, STATUS), ...at('2026-11-25T12:00:06Z') },
        ]);

      const found = await createGitHub().listCommentsSince({ issue: 42, since, limit: 10 });

      expect(found).toEqual([
        { id: 2, body: '/approve', author: 'bob', authorIsBot: false, createdAt: '2026-11-25T12:00:05Z' },
        { id: 3, body: STATUS, author: BOT, authorIsBot: true, createdAt: '2026-11-25T12:00:06Z' },
      ]);
    });
  });

  describe('upsertComment', () => {
    it('creates the comment when the bot has none with that marker', async () => {
      const created = bodySpy();
      githubApi()
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [
          comment(1, 'alice', 'Please add Acme CRM'),
          comment(2, BOT, `${renderMarker('plan')}\nPlan`),
        ]);
      githubApi()
        .post(COMMENTS, created)
        .reply(201, comment(3, BOT, STATUS));

      const ref = await createGitHub().upsertComment({ issue: 42, key: 'status', body: STATUS });

      expect(bodies(created)).toEqual([{ body: STATUS }]);
      expect(ref).toEqual({ id: 3, url: 'https://github.com/acme/connectors/issues/42#issuecomment-3' });
    });

    it('edits the bot comment when its body differs', async () => {
      const edited = bodySpy();
      const next = `${renderMarker('status')}\nRunning auth.`;
      githubApi()
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [comment(5, BOT, STATUS)]);
      githubApi()
        .patch('/repos/acme/connectors/issues/comments/5', edited)
        .reply(200, comment(5, BOT, next));

      const ref = await createGitHub().upsertComment({ issue: 42, key: 'status', body: next });

      expect(bodies(edited)).toEqual([{ body: next }]);
      expect(ref.id).toBe(5);
    });

    it('makes no write when the body is identical', async () => {
      githubApi()
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [comment(5, BOT, STATUS)]);

      const ref = await createGitHub().upsertComment({ issue: 42, key: 'status', body: STATUS });

      expect(ref).toEqual({ id: 5, url: 'https://github.com/acme/connectors/issues/42#issuecomment-5' });
    });

    it('ignores a comment by another user carrying the same marker', async () => {
      const created = bodySpy();
      githubApi()
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [comment(4, 'mallory', `${renderMarker('status')}\nforged`)]);
      githubApi()
        .post(COMMENTS, created)
        .reply(201, comment(6, BOT, STATUS));

      const ref = await createGitHub().upsertComment({ issue: 42, key: 'status', body: STATUS });

      expect(bodies(created)).toEqual([{ body: STATUS }]);
      expect(ref.id).toBe(6);
    });

    it('does not take a longer key with the same prefix for its own', async () => {
      const created = bodySpy();
      githubApi()
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [comment(4, BOT, `${renderMarker('summary-research-1')}\nOld`)]);
      githubApi()
        .post(COMMENTS, created)
        .reply(201, comment(7, BOT, 'x'));

      await createGitHub().upsertComment({ issue: 42, key: 'summary-research', body: 'x' });

      expect(bodies(created)).toEqual([{ body: 'x' }]);
    });

    it('pages through the comments until it finds its own', async () => {
      const edited = bodySpy();
      const next = `${renderMarker('status')}\nDone.`;
      githubApi()
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [comment(1, 'alice', 'hello')], {
          link: `<https://api.github.com${COMMENTS}?per_page=100&page=2>; rel="next"`,
        });
      githubApi()
        .get(COMMENTS)
        .query({ per_page: 100, page: 2 })
        .reply(200, [comment(150, BOT, STATUS)]);
      githubApi()
        .patch('/repos/acme/connectors/issues/comments/150', edited)
        .reply(200, comment(150, BOT, next));

      const ref = await createGitHub().upsertComment({ issue: 42, key: 'status', body: next });

      expect(bodies(edited)).toEqual([{ body: next }]);
      expect(ref.id).toBe(150);
    });
  });

  describe('findComment', () => {
    it('returns the bot comment with the marker', async () => {
      githubApi()
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [comment(4, 'mallory', STATUS), comment(5, BOT, STATUS)]);

      const found = await createGitHub().findComment({ issue: 42, key: 'status' });

      expect(found).toEqual({ id: 5, body: STATUS });
    });

    it('returns null when only others carry the marker', async () => {
      githubApi()
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [comment(4, 'mallory', STATUS)]);

      const found = await createGitHub().findComment({ issue: 42, key: 'status' });

      expect(found).toBeNull();
    });
  });

  describe('deleteComment', () => {
    it('deletes the bot comment with the marker', async () => {
      const body = `${renderMarker('request-errors')}\nMissing docs link`;
      githubApi()
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [comment(8, BOT, body)]);
      const deleted = githubApi().delete('/repos/acme/connectors/issues/comments/8').reply(204);

      await createGitHub().deleteComment({ issue: 42, key: 'request-errors' });

      expect(deleted.isDone()).toBe(true);
    });

    it('makes no write when there is no such comment', async () => {
      githubApi()
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [comment(4, 'alice', 'hi')]);

      await expect(
        createGitHub().deleteComment({ issue: 42, key: 'request-errors' }),
      ).resolves.toBeUndefined();
    });

    it('accepts a comment that is already gone', async () => {
      githubApi()
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [comment(8, BOT, renderMarker('request-errors'))]);
      githubApi().delete('/repos/acme/connectors/issues/comments/8').reply(404, { message: 'Not Found' });

      await expect(
        createGitHub().deleteComment({ issue: 42, key: 'request-errors' }),
      ).resolves.toBeUndefined();
    });
  });

  describe('addReaction', () => {
    it.each([
      [201, 'a new reaction'],
      [200, 'a reaction that exists'],
    ])('accepts %i for %s', async (status) => {
      const reacted = bodySpy();
      githubApi()
        .post('/repos/acme/connectors/issues/comments/77/reactions', reacted)
        .reply(status, { id: 1, content: 'eyes' });

      await createGitHub().addReaction({ commentId: 77, content: 'eyes' });

      expect(bodies(reacted)).toEqual([{ content: 'eyes' }]);
    });
  });

  describe('minimizeComment', () => {
    it('hides the comment as outdated through the GraphQL minimizeComment mutation', async () => {
      const mutation = bodySpy();
      githubApi()
        .post('/graphql', mutation)
        .reply(200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } });

      await createGitHub().minimizeComment('IC_kwDOAbc123');

      expect(bodies(mutation)).toMatchInlineSnapshot(`
        [
          {
            "query": "mutation Minimize($id: ID!) {
          minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } }
        }",
            "variables": {
              "id": "IC_kwDOAbc123",
            },
          },
        ]
      `);
    });

    it('fails with a retryable error when GitHub refuses, so the caller can say the comment is still visible', async () => {
      githubApi()
        .post('/graphql')
        .reply(200, {
          data: { minimizeComment: null },
          errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }],
        });

      await expect(createGitHub().minimizeComment('IC_kwDOAbc123')).rejects.toBeInstanceOf(
        ExternalServiceError,
      );
    });
  });
});
