import { bodyOf, invalid, json, notFound, notImplemented, paginate, type Route, repoOf } from '../route.js';
import type { IssueRecord, PullData, RepoState } from '../state.js';
import { nodeId } from '../views.js';
import { renderPull } from './render-pull.js';

/** Pull requests: list, open, read, edit and request reviewers. Opening one follows GitHub's 422 rules. */
export const pullRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls',
    query: ['state', 'head', 'base', 'per_page', 'page'],
    handle(request, context) {
      const repo = repoOf(request);
      const state = request.query.get('state') ?? 'open';
      const head = request.query.get('head');
      const base = request.query.get('base');
      const found = pullsOf(repo)
        .filter((issue) => state === 'all' || issue.state === state)
        .filter(
          (issue) =>
            head === null || `${repo.record.owner}:${issue.pull.head}`.toLowerCase() === head.toLowerCase(),
        )
        .filter((issue) => base === null || issue.pull.base === base)
        .reverse();
      const { page, headers } = paginate(request, found);
      return json(
        200,
        page.map((issue) => renderPull(context, repo, issue, 'simple')),
        headers,
      );
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/pulls',
    handle(request, context) {
      const repo = repoOf(request);
      const body = bodyOf<{
        title?: string;
        head: string;
        base: string;
        body?: string;
        draft?: boolean;
        issue?: number;
        head_repo?: string;
      }>(request);
      if (body.issue !== undefined || body.head_repo !== undefined)
        return notImplemented('pull requests from issues or forks');
      const [owner, branch] = body.head.includes(':')
        ? body.head.split(':', 2)
        : [repo.record.owner, body.head];
      const { git } = repo.record;
      const headSha = git.resolve(`refs/heads/${branch}`);
      const baseSha = git.resolve(`refs/heads/${body.base}`);
      if (owner?.toLowerCase() !== repo.record.owner.toLowerCase())
        return notImplemented('pull requests from forks');
      if (baseSha === undefined) return invalid(`base ${body.base} does not exist`);
      if (headSha === undefined || branch === undefined) return invalid(`head ${body.head} does not exist`);
      if (!body.title) return invalid('title is required');
      const open = pullsOf(repo).find(
        (issue) => issue.state === 'open' && issue.pull.head === branch && issue.pull.base === body.base,
      );
      if (open !== undefined)
        return invalid(`A pull request already exists for ${repo.record.owner}:${branch}.`, 'custom');
      if (git.isAncestor(headSha, baseSha))
        return invalid(`No commits between ${body.base} and ${branch}`, 'custom');
      const now = context.now();
      const id = context.state.id();
      const pull: PullData = {
        id: context.state.id(),
        nodeId: nodeId('PR', id),
        head: branch,
        base: body.base,
        draft: body.draft ?? false,
        requestedReviewers: [],
      };
      const issue: PullIssue = {
        id,
        nodeId: nodeId('I', id),
        number: context.state.nextIssueNumber(repo),
        title: body.title,
        body: body.body ?? null,
        user: context.botLogin,
        labels: [],
        state: 'open',
        createdAt: now,
        updatedAt: now,
        pull,
      };
      repo.issues.set(issue.number, issue);
      return json(201, renderPull(context, repo, issue, 'full'));
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    handle(request, context) {
      const repo = repoOf(request);
      const issue = pullOf(repo, request.params.pull_number);
      return issue === undefined ? notFound() : json(200, renderPull(context, repo, issue, 'full'));
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    handle(request, context) {
      const repo = repoOf(request);
      const issue = pullOf(repo, request.params.pull_number);
      if (issue === undefined) return notFound();
      const body = bodyOf<{ title?: string; body?: string; state?: 'open' | 'closed'; base?: string }>(
        request,
      );
      if (body.base !== undefined && repo.record.git.resolve(`refs/heads/${body.base}`) === undefined) {
        return invalid(`base ${body.base} does not exist`);
      }
      issue.title = body.title ?? issue.title;
      issue.body = body.body ?? issue.body;
      issue.state = body.state ?? issue.state;
      issue.pull.base = body.base ?? issue.pull.base;
      issue.updatedAt = context.now();
      return json(200, renderPull(context, repo, issue, 'full'));
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
    handle(request, context) {
      const repo = repoOf(request);
      const issue = pullOf(repo, request.params.pull_number);
      if (issue === undefined) return notFound();
      const { reviewers = [], team_reviewers = [] } = bodyOf<{
        reviewers?: string[];
        team_reviewers?: string[];
      }>(request);
      if (team_reviewers.length > 0) return notImplemented('team reviewers');
      const outsider = reviewers.find((login) => !repo.permissions.has(login.toLowerCase()));
      if (outsider !== undefined)
        return invalid('Reviews may only be requested from collaborators.', 'custom');
      if (reviewers.some((login) => login.toLowerCase() === issue.user.toLowerCase())) {
        return invalid('Review cannot be requested from pull request author.', 'custom');
      }
      for (const login of reviewers)
        if (!issue.pull.requestedReviewers.includes(login)) issue.pull.requestedReviewers.push(login);
      return json(201, renderPull(context, repo, issue, 'simple'));
    },
  },
];

type PullIssue = IssueRecord & { pull: PullData };

/** Issues that are pull requests, oldest first. */
export function pullsOf(repo: RepoState): PullIssue[] {
  return [...repo.issues.values()].filter((issue): issue is PullIssue => issue.pull !== undefined);
}

function pullOf(repo: RepoState, number: string | undefined): PullIssue | undefined {
  const issue = repo.issues.get(Number(number));
  return issue?.pull === undefined ? undefined : (issue as PullIssue);
}
