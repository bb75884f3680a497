import { authorOf, personOf } from '../actors.js';
import { bodyOf, invalid, json, notFound, notImplemented, paginate, type Route, repoOf } from '../route.js';
import { seedIssue } from '../seed.js';
import type { IssueRecord, RepoState } from '../state.js';
import { renderUser, repoApiUrl, type ViewContext } from '../views.js';
import { authorAssociation } from './comments.js';
import { renderIssueLabels } from './labels.js';

/**
 * Issues (pull requests are issues too): list them (pull requests included, as on GitHub), open one
 * (as the bot, or as the person whose token asks: that one is delivered to the App as
 * `issues.opened`), read one, and edit its title, body or state.
 */
export const issueRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues',
    query: ['state', 'creator', 'sort', 'direction', 'per_page', 'page'],
    handle(request, context) {
      const repo = repoOf(request);
      const state = request.query.get('state') ?? 'open';
      const creator = request.query.get('creator')?.toLowerCase();
      const sort = request.query.get('sort') ?? 'created';
      if (sort !== 'created') return notImplemented(`issues sorted by ${sort}`);
      const ascending = request.query.get('direction') === 'asc';
      const found = [...repo.issues.values()]
        .filter((issue) => state === 'all' || issue.state === state)
        .filter((issue) => creator === undefined || issue.user.toLowerCase() === creator)
        .sort((a, b) => (ascending ? a.number - b.number : b.number - a.number));
      const { page, headers } = paginate(request, found);
      return json(
        200,
        page.map((issue) => renderIssue(context, repo, issue)),
        headers,
      );
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues',
    handle(request, context) {
      const repo = repoOf(request);
      const body = bodyOf<{ title: string | number; body?: string | null; labels?: unknown[] }>(request);
      if (String(body.title).trim() === '') return invalid('title is required', 'missing_field');
      const user = authorOf(request, context);
      // GitHub drops the labels of someone without push access silently.
      const labels = mayPush(repo, user, context.botLogin)
        ? (body.labels ?? []).map((label) =>
            typeof label === 'object' && label !== null && 'name' in label
              ? String(label.name)
              : String(label),
          )
        : [];
      const issue = seedIssue(context.state, repo, {
        title: String(body.title),
        body: body.body ?? null,
        user,
        labels,
      });
      if (personOf(request, context) !== undefined)
        context.hooks.personWrote?.({ kind: 'issue_opened', repo, issue });
      return json(201, renderIssue(context, repo, issue), {
        location: `${repoApiUrl(context, repo.record.owner, repo.record.repo)}/issues/${issue.number}`,
      });
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/{issue_number}',
    handle(request, context) {
      const repo = repoOf(request);
      const issue = repo.issues.get(Number(request.params.issue_number));
      if (issue === undefined) return notFound();
      const body = bodyOf<{
        title?: string | number | null;
        body?: string | null;
        state?: 'open' | 'closed';
      }>(request);
      if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
      if (body.body !== undefined) issue.body = body.body;
      if (body.state !== undefined) issue.state = body.state;
      issue.updatedAt = context.now();
      return json(200, renderIssue(context, repo, issue));
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}',
    handle(request, context) {
      const repo = repoOf(request);
      const issue = repo.issues.get(Number(request.params.issue_number));
      return issue === undefined ? notFound() : json(200, renderIssue(context, repo, issue));
    },
  },
];

/** An `issue` (also the `issue` of webhook payloads). */
function mayPush(repo: RepoState, user: string, botLogin: string): boolean {
  if (user === botLogin || user.toLowerCase() === repo.record.owner.toLowerCase()) return true;
  const role = repo.permissions.get(user.toLowerCase());
  return role === 'write' || role === 'maintain' || role === 'admin';
}

export function renderIssue(context: ViewContext, repo: RepoState, issue: IssueRecord) {
  const api = `${repoApiUrl(context, repo.record.owner, repo.record.repo)}/issues/${issue.number}`;
  const html = `${context.base}/${repo.record.owner}/${repo.record.repo}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`;
  return {
    url: api,
    repository_url: repoApiUrl(context, repo.record.owner, repo.record.repo),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: html,
    id: issue.id,
    node_id: issue.nodeId,
    number: issue.number,
    title: issue.title,
    user: renderUser(context, issue.user),
    labels: renderIssueLabels(context, repo, issue.labels),
    state: issue.state,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: repo.comments.filter((comment) => comment.issue === issue.number).length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: null,
    author_association: authorAssociation(repo, issue.user),
    active_lock_reason: null,
    body: issue.body,
    reactions: reactionRollup(`${api}/reactions`),
    ...(issue.pull
      ? {
          pull_request: {
            url: api.replace('/issues/', '/pulls/'),
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: null,
          },
        }
      : {}),
  };
}

/** A `reaction-rollup` with no reactions. */
export function reactionRollup(url: string) {
  return {
    url,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}
