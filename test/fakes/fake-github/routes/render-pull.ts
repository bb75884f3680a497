import type { IssueRecord, PullData, RepoState } from '../state.js';
import { renderRepo, renderUser, repoApiUrl, type ViewContext } from '../views.js';
import { authorAssociation } from './comments.js';
import { renderIssueLabels } from './labels.js';

/** A `pull-request` (`full`) or `pull-request-simple`; the full one adds counts and merge state. */
export function renderPull(
  context: ViewContext,
  repo: RepoState,
  issue: IssueRecord & { pull: PullData },
  shape: 'full' | 'simple',
) {
  const { owner, repo: name } = repo.record;
  const api = repoApiUrl(context, owner, name);
  const html = `${context.base}/${owner}/${name}/pull/${issue.number}`;
  const { git } = repo.record;
  const headSha = git.resolve(`refs/heads/${issue.pull.head}`) ?? '0'.repeat(40);
  const baseSha = git.resolve(`refs/heads/${issue.pull.base}`) ?? '0'.repeat(40);
  const side = (ref: string, sha: string) => ({
    label: `${owner}:${ref}`,
    ref,
    sha,
    user: renderUser(context, owner),
    repo: renderRepo(context, repo.record),
  });
  const simple = {
    url: `${api}/pulls/${issue.number}`,
    id: issue.pull.id,
    node_id: issue.pull.nodeId,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${issue.number}`,
    commits_url: `${api}/pulls/${issue.number}/commits`,
    review_comments_url: `${api}/pulls/${issue.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${issue.number}/comments`,
    statuses_url: `${api}/statuses/${headSha}`,
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: renderUser(context, issue.user),
    body: issue.body,
    // pull-request-simple types label descriptions as non-nullable strings.
    labels: renderIssueLabels(context, repo, issue.labels).map((label) => ({
      ...label,
      description: label.description ?? '',
    })),
    milestone: null,
    active_lock_reason: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.state === 'closed' ? issue.updatedAt : null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: issue.pull.requestedReviewers.map((login) => renderUser(context, login)),
    requested_teams: [],
    head: side(issue.pull.head, headSha),
    base: side(issue.pull.base, baseSha),
    _links: {
      self: { href: `${api}/pulls/${issue.number}` },
      html: { href: html },
      issue: { href: `${api}/issues/${issue.number}` },
      comments: { href: `${api}/issues/${issue.number}/comments` },
      review_comments: { href: `${api}/pulls/${issue.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${issue.number}/commits` },
      statuses: { href: `${api}/statuses/${headSha}` },
    },
    author_association: authorAssociation(repo, issue.user),
    auto_merge: null,
    draft: issue.pull.draft,
  };
  if (shape === 'simple') return simple;
  const baseHistory = new Set(git.history(baseSha).map((commit) => commit.sha));
  return {
    ...simple,
    merged: false,
    mergeable: true,
    rebaseable: true,
    mergeable_state: issue.pull.draft ? 'draft' : 'clean',
    merged_by: null,
    comments: repo.comments.filter((comment) => comment.issue === issue.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: git.history(headSha).filter((commit) => !baseHistory.has(commit.sha)).length,
    additions: 0,
    deletions: 0,
    changed_files: changedFiles(repo, baseSha, headSha),
  };
}

function changedFiles(repo: RepoState, baseSha: string, headSha: string): number {
  const before = repo.record.git.filesAt(baseSha) ?? new Map<string, Buffer>();
  const after = repo.record.git.filesAt(headSha) ?? new Map<string, Buffer>();
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter(
    (path) => !before.get(path)?.equals(after.get(path) ?? Buffer.alloc(0)) || !after.has(path),
  ).length;
}
