import { z } from 'zod';

/**
 * The fields of webhook payloads the bot reads, and nothing else (docs/architecture.md, Inputs). A payload
 * that does not match is logged and ignored by the handler, never passed further in.
 */
/** GitHub logins are at most 39 characters (a bot's `<slug>[bot]` a little more); 100 is what the jobs allow. */
const User = z.object({ login: z.string().min(1).max(100), type: z.string() });
const Repository = z.object({
  name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
  html_url: z.string(),
});
const Installation = z.object({ id: z.number().int().positive() });
const Label = z.object({ name: z.string() });

/** `issues.opened` / `issues.edited`. */
export const IssuePayload = z.object({
  issue: z.object({
    number: z.number().int().positive(),
    body: z.string().nullable(),
    user: User,
    labels: z.array(Label).default([]),
    pull_request: z.unknown().optional(),
  }),
  changes: z.object({ body: z.object({ from: z.string().nullable() }).optional() }).optional(),
  repository: Repository,
  installation: Installation,
  sender: User,
});
export type IssuePayload = z.infer<typeof IssuePayload>;

/** `issue_comment.created`, on an issue or a pull request. */
export const IssueCommentPayload = z.object({
  issue: z.object({
    number: z.number().int().positive(),
    /** On a pull request, this is the PR body. */
    body: z.string().nullable().optional(),
    user: User,
    labels: z.array(Label).default([]),
    pull_request: z.object({}).passthrough().optional(),
  }),
  comment: z.object({
    id: z.number().int().positive(),
    /** GraphQL id, to hide a comment that carries credentials. */
    node_id: z.string().min(1).optional(),
    body: z.string().nullable(),
    user: User,
    /** When it was written and last edited: a command answers what its author saw then. */
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
  }),
  repository: Repository,
  installation: Installation,
  sender: User,
});
export type IssueCommentPayload = z.infer<typeof IssueCommentPayload>;

const PullRequest = z.object({
  number: z.number().int().positive(),
  body: z.string().nullable(),
  head: z.object({ ref: z.string() }),
});

/** `pull_request_review.submitted`. */
export const ReviewPayload = z.object({
  review: z.object({ id: z.number().int(), body: z.string().nullable(), user: User }),
  pull_request: PullRequest,
  repository: Repository,
  installation: Installation,
  sender: User,
});
export type ReviewPayload = z.infer<typeof ReviewPayload>;

/** `pull_request_review_comment.created`. */
export const ReviewCommentPayload = z.object({
  comment: z.object({ id: z.number().int(), body: z.string(), path: z.string(), user: User }),
  pull_request: PullRequest,
  repository: Repository,
  installation: Installation,
  sender: User,
});
export type ReviewCommentPayload = z.infer<typeof ReviewCommentPayload>;

/** `workflow_run.completed`. */
export const WorkflowRunPayload = z.object({
  workflow_run: z.object({
    id: z.number().int().positive(),
    name: z.string().nullable(),
    display_title: z.string().nullable().optional(),
    path: z.string(),
    head_branch: z.string().nullable(),
    /** The commit the run tested and the event that started it: both must match the run's. */
    head_sha: z.string().nullable().optional(),
    event: z.string().nullable().optional(),
    conclusion: z.string().nullable(),
    html_url: z.string(),
  }),
  repository: Repository,
  installation: Installation,
});
export type WorkflowRunPayload = z.infer<typeof WorkflowRunPayload>;

/** `issues.closed` / `issues.reopened`: only which issue, and who. */
export const IssueLifecyclePayload = z.object({
  issue: z.object({
    number: z.number().int().positive(),
    pull_request: z.unknown().optional(),
    /** Read only to tell the bot's dashboard issue (its marker, its author) from a run's issue. */
    body: z.string().nullish(),
    user: User.optional(),
  }),
  repository: Repository,
  installation: Installation,
  sender: User,
});
export type IssueLifecyclePayload = z.infer<typeof IssueLifecyclePayload>;

/** `pull_request.closed` / `pull_request.reopened`: the PR, whether it was merged, and who. */
export const PullRequestLifecyclePayload = z.object({
  pull_request: PullRequest.extend({ merged: z.boolean().nullable().optional() }),
  repository: Repository,
  installation: Installation,
  sender: User,
});
export type PullRequestLifecyclePayload = z.infer<typeof PullRequestLifecyclePayload>;

/** The repository part of a run ref, from any of the payloads above. */
export function repoOf(payload: { repository: z.infer<typeof Repository>; installation: { id: number } }) {
  return {
    installationId: payload.installation.id,
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
  };
}

/** True for comments and reviews written by a bot (this one or any other): the bot never acts on them. */
export function isBot(user: { type: string; login: string }): boolean {
  return user.type === 'Bot' || user.login.endsWith('[bot]');
}
