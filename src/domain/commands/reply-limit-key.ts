/**
 * The key of a person's reply window in a repository (`owner/repo:login`): handlers and the events
 * worker count against the same window, so it is built here only.
 */
export function replyLimitKey(repo: { owner: string; repo: string }, login: string): string {
  return `${repo.owner}/${repo.repo}:${login}`;
}
