import { z } from 'zod';

/**
 * The fields of GitHub REST responses the adapter reads, and nothing else (docs/architecture.md, Inputs).
 * Each schema names the endpoints whose body it parses.
 */

/** GET /repos/{owner}/{repo}. */
export const Repository = z.object({ default_branch: z.string().min(1) });
export type Repository = z.infer<typeof Repository>;

/** GET /repos/{owner}/{repo}/git/ref/{ref}. */
export const GitRef = z.object({ object: z.object({ sha: z.string() }) });
export type GitRef = z.infer<typeof GitRef>;

/** GET /repos/{owner}/{repo}/git/commits/{sha}. */
export const GitCommit = z.object({ message: z.string(), parents: z.array(z.object({ sha: z.string() })) });
export type GitCommit = z.infer<typeof GitCommit>;

/** GET /repos/{owner}/{repo}/commits: one page, newest first. */
export const CommitList = z.array(z.object({ sha: z.string(), commit: z.object({ message: z.string() }) }));
export type CommitList = z.infer<typeof CommitList>;

/** GET /repos/{owner}/{repo}/git/blobs/{sha}. */
export const GitBlob = z.object({ content: z.string(), encoding: z.string() });
export type GitBlob = z.infer<typeof GitBlob>;

/** POST and PATCH of an issue comment. */
export const CreatedComment = z.object({ id: z.number().int(), html_url: z.string() });
export type CreatedComment = z.infer<typeof CreatedComment>;

/** One page of GET /repos/{owner}/{repo}/issues/{number}/comments. */
export const IssueComments = z.array(
  CreatedComment.extend({
    body: z.string().nullish(),
    user: z.object({ login: z.string() }).nullable(),
  }),
);
export type IssueComments = z.infer<typeof IssueComments>;

/** One page of GET /repos/{owner}/{repo}/issues/{number}/comments?since=…, read for people's commands. */
export const PeoplesComments = z.array(
  z.object({
    id: z.number().int(),
    body: z.string().nullish(),
    created_at: z.string(),
    user: z.object({ login: z.string(), type: z.string().optional() }).nullable(),
  }),
);
export type PeoplesComments = z.infer<typeof PeoplesComments>;

/** One page of GET /repos/{owner}/{repo}/issues (pull requests come too, with `pull_request`). */
export const RepoIssues = z.array(
  z.object({
    number: z.number().int(),
    html_url: z.string(),
    state: z.string(),
    body: z.string().nullish(),
    user: z.object({ login: z.string() }).nullable(),
    pull_request: z.unknown().optional(),
  }),
);
export type RepoIssues = z.infer<typeof RepoIssues>;

/** POST /repos/{owner}/{repo}/issues. */
export const CreatedIssue = z.object({ number: z.number().int(), html_url: z.string() });
export type CreatedIssue = z.infer<typeof CreatedIssue>;

/** GET /repos/{owner}/{repo}/pulls/{number} (and each item of the list). */
export const PullRequest = z.object({
  number: z.number().int(),
  html_url: z.string(),
  node_id: z.string(),
  body: z.string().nullable(),
  draft: z.boolean().optional(),
  head: z.object({ ref: z.string() }),
});
export type PullRequest = z.infer<typeof PullRequest>;

/** GET /repos/{owner}/{repo}/pulls?head=…. */
export const PullRequests = z.array(PullRequest);
export type PullRequests = z.infer<typeof PullRequests>;

/** POST /repos/{owner}/{repo}/pulls. */
export const CreatedPullRequest = z.object({ number: z.number().int(), html_url: z.string() });
export type CreatedPullRequest = z.infer<typeof CreatedPullRequest>;

/** GET /repos/{owner}/{repo}/issues/{issue_number}: only its labels' names (a label may be a bare string). */
export const IssueLabels = z.object({
  labels: z.array(z.union([z.string(), z.object({ name: z.string().optional() })])),
});
export type IssueLabels = z.infer<typeof IssueLabels>;

/** GET /repos/{owner}/{repo}/commits/{ref}/check-runs. */
export const CheckRuns = z.object({ check_runs: z.array(z.object({ id: z.number().int() })) });
export type CheckRuns = z.infer<typeof CheckRuns>;

/** POST /repos/{owner}/{repo}/check-runs: the new check run's id. */
export const CheckRunCreated = z.object({ id: z.number().int() });

/**
 * GET /repos/{owner}/{repo}/collaborators/{username}/permission. `permission` is the legacy
 * admin/write/read/none; `role_name` also tells maintain and triage apart (or names a custom role).
 */
export const CollaboratorPermission = z.object({
  permission: z.string(),
  role_name: z.string().optional(),
});
export type CollaboratorPermission = z.infer<typeof CollaboratorPermission>;

/** GET /repos/{owner}/{repo}/contents/{path}: a directory listing, or one file (or symlink, submodule). */
export const Contents = z.union([
  z.array(z.unknown()),
  z.object({
    type: z.string(),
    sha: z.string(),
    content: z.string().optional(),
    encoding: z.string().optional(),
  }),
]);
export type Contents = z.infer<typeof Contents>;
