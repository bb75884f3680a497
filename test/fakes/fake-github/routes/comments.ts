import { authorOf, personOf } from '../actors.js';
import { bodyOf, json, notFound, paginate, type Route, type RouteContext, repoOf } from '../route.js';
import type { CommentRecord, RepoState } from '../state.js';
import { nodeId, renderUser, repoApiUrl, type ViewContext } from '../views.js';

/**
 * Issue comments and reactions on them. Comments posted through the API are the bot's, unless a
 * person's token (`addPersonToken`) posted them: those are the person's, and are delivered to the
 * App as `issue_comment.created`, as GitHub does.
 */
export const commentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    query: ['per_page', 'page', 'since'],
    handle(request, context) {
      const repo = repoOf(request);
      const issue = Number(request.params.issue_number);
      if (!repo.issues.has(issue)) return notFound();
      // GitHub's `since`: comments updated at or after the time.
      const since = request.query.get('since');
      const from = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since);
      const { page, headers } = paginate(
        request,
        repo.comments.filter((comment) => comment.issue === issue && Date.parse(comment.updatedAt) >= from),
      );
      return json(
        200,
        page.map((comment) => renderComment(context, repo, comment)),
        headers,
      );
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    handle(request, context) {
      const repo = repoOf(request);
      const issue = repo.issues.get(Number(request.params.issue_number));
      if (issue === undefined) return notFound();
      const comment = addComment(context, repo, {
        issue: issue.number,
        body: bodyOf<{ body: string }>(request).body,
        user: authorOf(request, context),
      });
      if (personOf(request, context) !== undefined)
        context.hooks.personWrote?.({ kind: 'comment_created', repo, issue, comment });
      return json(201, renderComment(context, repo, comment), {
        location: commentUrl(context, repo, comment),
      });
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handle(request, context) {
      const repo = repoOf(request);
      const comment = findComment(repo, request.params.comment_id);
      if (comment === undefined) return notFound();
      comment.body = bodyOf<{ body: string }>(request).body;
      comment.updatedAt = context.now();
      return json(200, renderComment(context, repo, comment));
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handle(request) {
      const repo = repoOf(request);
      const comment = findComment(repo, request.params.comment_id);
      if (comment === undefined) return notFound();
      repo.comments.splice(repo.comments.indexOf(comment), 1);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    handle(request, context) {
      const repo = repoOf(request);
      const comment = findComment(repo, request.params.comment_id);
      if (comment === undefined) return notFound();
      const { content } = bodyOf<{ content: string }>(request);
      const user = context.botLogin;
      const existing = repo.reactions.find(
        (r) => r.commentId === comment.id && r.user === user && r.content === content,
      );
      const reaction = existing ?? {
        id: context.state.id(),
        commentId: comment.id,
        user,
        content,
        createdAt: context.now(),
      };
      if (existing === undefined) repo.reactions.push(reaction);
      return json(existing === undefined ? 201 : 200, {
        id: reaction.id,
        node_id: nodeId('REA', reaction.id),
        user: renderUser(context, reaction.user),
        content: reaction.content,
        created_at: reaction.createdAt,
      });
    },
  },
];

/** Stores a comment as GitHub would when `user` posts it. */
export function addComment(
  context: Pick<ViewContext, 'state' | 'now'>,
  repo: RepoState,
  params: { issue: number; body: string; user: string },
): CommentRecord {
  const now = context.now();
  const comment: CommentRecord = { id: context.state.id(), ...params, createdAt: now, updatedAt: now };
  repo.comments.push(comment);
  return comment;
}

/** An `issue-comment`. */
export function renderComment(context: ViewContext, repo: RepoState, comment: CommentRecord) {
  const { owner, repo: name } = repo.record;
  return {
    id: comment.id,
    node_id: nodeId('IC', comment.id),
    url: `${repoApiUrl(context, owner, name)}/issues/comments/${comment.id}`,
    html_url: `${context.base}/${owner}/${name}/issues/${comment.issue}#issuecomment-${comment.id}`,
    issue_url: `${repoApiUrl(context, owner, name)}/issues/${comment.issue}`,
    body: comment.body,
    user: renderUser(context, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: authorAssociation(repo, comment.user),
  };
}

/** How GitHub relates `login` to the repository in payloads. */
export function authorAssociation(repo: RepoState, login: string): 'OWNER' | 'COLLABORATOR' | 'NONE' {
  if (login.toLowerCase() === repo.record.owner.toLowerCase()) return 'OWNER';
  return repo.permissions.has(login.toLowerCase()) ? 'COLLABORATOR' : 'NONE';
}

function commentUrl(context: RouteContext, repo: RepoState, comment: CommentRecord): string {
  return `${repoApiUrl(context, repo.record.owner, repo.record.repo)}/issues/comments/${comment.id}`;
}

function findComment(repo: RepoState, id: string | undefined): CommentRecord | undefined {
  return repo.comments.find((comment) => comment.id === Number(id));
}
