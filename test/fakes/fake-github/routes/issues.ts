import { json, notFound, type Route, repoOf } from '../route.js';
import type { IssueRecord, RepoState } from '../state.js';
import { renderUser, repoApiUrl, type ViewContext } from '../views.js';
import { authorAssociation } from './comments.js';
import { renderIssueLabels } from './labels.js';

/** Reading an issue (pull requests are issues too), e.g. to re-check a body before using it. */
export const issueRoutes: Route[] = [
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
