import { hasMarker } from '../../domain/render/markers.js';
import type { CommentRef, IssueComment } from '../../ports/github.js';
import { createOnce, NO_PLUGIN_RETRY } from './create-once.js';
import type { KnownIds } from './known-ids.js';
import { parseData, type RepoClient } from './repo-client.js';
import { CreatedComment, IssueComments, PeoplesComments } from './schema.js';

type OwnComment = IssueComments[number];

const MINIMIZE = `mutation Minimize($id: ID!) {
  minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } }
}`;

/**
 * The first comment on `issue` written by the bot whose body starts with the marker of `key`.
 * Comments by anyone else never match, even with the same marker: they could be forged. Pages
 * through the comments 100 at a time and stops at the first match.
 */
async function findOwnComment(
  client: RepoClient,
  params: { issue: number; key: string },
): Promise<OwnComment | null> {
  const bot = client.botLogin.toLowerCase();
  return client.call(async (octokit) => {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner: client.owner,
      repo: client.repo,
      issue_number: params.issue,
      per_page: 100,
    });
    for await (const page of pages) {
      const found = parseData(IssueComments, page.data).find(
        (comment) => comment.user?.login.toLowerCase() === bot && hasMarker(comment.body ?? '', params.key),
      );
      if (found) return found;
    }
    return null;
  });
}

/** The bot's comment with marker `key`, or null. */
export async function findComment(
  client: RepoClient,
  params: { issue: number; key: string },
): Promise<{ id: number; body: string } | null> {
  const found = await findOwnComment(client, params);
  return found ? { id: found.id, body: found.body ?? '' } : null;
}

/** Comments on `issue` created at or after `since`, oldest first, at most `limit` (pages of 100). */
export async function listCommentsSince(
  client: RepoClient,
  params: { issue: number; since: string; limit: number },
): Promise<IssueComment[]> {
  const from = Date.parse(params.since);
  return client.call(async (octokit) => {
    const found: IssueComment[] = [];
    // `since` filters on the last update; a comment created earlier and edited since is dropped below.
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner: client.owner,
      repo: client.repo,
      issue_number: params.issue,
      since: params.since,
      per_page: 100,
    });
    for await (const page of pages) {
      for (const comment of parseData(PeoplesComments, page.data)) {
        if (Date.parse(comment.created_at) < from) continue;
        const login = comment.user?.login ?? 'ghost';
        found.push({
          id: comment.id,
          body: comment.body ?? '',
          author: login,
          authorIsBot: comment.user?.type === 'Bot' || login.endsWith('[bot]'),
          createdAt: comment.created_at,
        });
        if (found.length >= params.limit) return found;
      }
    }
    return found;
  });
}

/** Where `known` keeps the id of the bot's comment `key` on `issue`. */
function commentIdKey(client: RepoClient, params: { issue: number; key: string }): string {
  return `${client.owner}/${client.repo}#${params.issue}:${params.key}`.toLowerCase();
}

/**
 * Creates the bot's comment `key` or edits it. A comment whose id this process knows is edited
 * straight away (one request; a 404, the comment deleted since, forgets the id and looks again);
 * otherwise the comments are listed first, and a found comment with the same body is left alone.
 */
export async function upsertComment(
  client: RepoClient,
  params: { issue: number; key: string; body: string },
  known: KnownIds,
): Promise<CommentRef> {
  const { owner, repo } = client;
  const idKey = commentIdKey(client, params);
  const knownId = known.get(idKey);
  if (knownId !== undefined) {
    const edited = await client.getOrNull(CreatedComment, (octokit) =>
      octokit.rest.issues.updateComment({ owner, repo, comment_id: knownId, body: params.body }),
    );
    if (edited !== null) return { id: edited.id, url: edited.html_url };
    known.forget(idKey);
  }
  const found = await findOwnComment(client, params);
  if (found === null) {
    const created = await createOnce(
      async () => {
        const created = await client.get(CreatedComment, (octokit) =>
          octokit.rest.issues.createComment({
            owner,
            repo,
            issue_number: params.issue,
            body: params.body,
            ...NO_PLUGIN_RETRY,
          }),
        );
        return { id: created.id, url: created.html_url };
      },
      async () => {
        const written = await findOwnComment(client, params);
        return written === null ? null : { id: written.id, url: written.html_url };
      },
    );
    known.set(idKey, created.id);
    return created;
  }
  known.set(idKey, found.id);
  if ((found.body ?? '') === params.body) return { id: found.id, url: found.html_url };
  const updated = await client.get(CreatedComment, (octokit) =>
    octokit.rest.issues.updateComment({ owner, repo, comment_id: found.id, body: params.body }),
  );
  return { id: updated.id, url: updated.html_url };
}

/** Deletes the bot's comment `key`; nothing to do when there is none (or it is already gone). */
export async function deleteComment(
  client: RepoClient,
  params: { issue: number; key: string },
  known: KnownIds,
): Promise<void> {
  const idKey = commentIdKey(client, params);
  const id = known.get(idKey) ?? (await findOwnComment(client, params))?.id;
  known.forget(idKey);
  if (id === undefined) return;
  await client.call(
    (octokit) =>
      octokit.rest.issues.deleteComment({ owner: client.owner, repo: client.repo, comment_id: id }),
    { 404: () => undefined },
  );
}

/** Reacts to a comment. GitHub answers 200 instead of 201 when the reaction exists: both are fine. */
export async function addReaction(
  client: RepoClient,
  params: { commentId: number; content: 'eyes' | '+1' | 'confused' },
): Promise<void> {
  await client.call((octokit) =>
    octokit.rest.reactions.createForIssueComment({
      owner: client.owner,
      repo: client.repo,
      comment_id: params.commentId,
      content: params.content,
    }),
  );
}

/**
 * Hides a comment (anyone's) through GraphQL, as "outdated": the REST API cannot. GitHub answers a
 * comment that is already hidden the same way, so a retried job is harmless.
 */
export async function minimizeComment(client: RepoClient, nodeId: string): Promise<void> {
  await client.call((octokit) => octokit.graphql(MINIMIZE, { id: nodeId }));
}
