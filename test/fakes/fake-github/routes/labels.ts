import { bodyOf, fail, invalid, json, notFound, type Route, repoOf } from '../route.js';
import type { RepoState } from '../state.js';
import { renderLabel, type ViewContext } from '../views.js';

/** Repository labels and labels on issues (and pull requests, which are issues). */
export const labelRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/labels/{name}',
    handle(request, context) {
      const repo = repoOf(request);
      const label = repo.labels.get((request.params.name ?? '').toLowerCase());
      return label === undefined
        ? notFound()
        : json(200, renderLabel(context, repo.record.owner, repo.record.repo, label));
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/labels',
    handle(request, context) {
      const repo = repoOf(request);
      const body = bodyOf<{ name: string; color?: string; description?: string }>(request);
      if (repo.labels.has(body.name.toLowerCase())) return invalid('Validation Failed', 'already_exists');
      const label = context.state.ensureLabel(repo, body.name);
      label.color = (body.color ?? 'ededed').replace(/^#/, '');
      label.description = body.description ?? null;
      return json(201, renderLabel(context, repo.record.owner, repo.record.repo, label));
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    handle(request, context) {
      const repo = repoOf(request);
      const issue = repo.issues.get(Number(request.params.issue_number));
      if (issue === undefined) return notFound();
      const { labels = [] } = bodyOf<{ labels?: Array<string | { name: string }> }>(request);
      for (const item of labels) {
        const label = context.state.ensureLabel(repo, typeof item === 'string' ? item : item.name);
        if (!issue.labels.some((name) => name.toLowerCase() === label.name.toLowerCase()))
          issue.labels.push(label.name);
      }
      issue.updatedAt = context.now();
      return json(200, renderIssueLabels(context, repo, issue.labels));
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
    handle(request, context) {
      const repo = repoOf(request);
      const issue = repo.issues.get(Number(request.params.issue_number));
      if (issue === undefined) return notFound();
      const name = (request.params.name ?? '').toLowerCase();
      const index = issue.labels.findIndex((label) => label.toLowerCase() === name);
      if (index < 0) return fail(404, 'Label does not exist');
      issue.labels.splice(index, 1);
      issue.updatedAt = context.now();
      return json(200, renderIssueLabels(context, repo, issue.labels));
    },
  },
];

/** The `label` objects for names on an issue. */
export function renderIssueLabels(context: ViewContext, repo: RepoState, names: string[]) {
  return names.map((name) =>
    renderLabel(context, repo.record.owner, repo.record.repo, context.state.ensureLabel(repo, name)),
  );
}
