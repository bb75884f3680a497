import { createRequire } from 'node:module';
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { addComment, renderComment } from './routes/comments.js';
import { reactionRollup, renderIssue } from './routes/issues.js';
import { renderWorkflowRun } from './routes/render-actions.js';
import type { IssueRecord, RepoState, WorkflowRunRecord } from './state.js';
import { nodeId, renderRepo, renderUser, repoApiUrl, type ViewContext } from './views.js';

/** The payload type Probot's `receive()` and handlers expect for `issues.opened`. */
export type IssueOpenedPayload = EmitterWebhookEvent<'issues.opened'>['payload'];
/** The payload type for `issue_comment.created`. */
export type IssueCommentCreatedPayload = EmitterWebhookEvent<'issue_comment.created'>['payload'];
/** The payload type for `workflow_run.completed`. */
export type WorkflowRunCompletedPayload = EmitterWebhookEvent<'workflow_run.completed'>['payload'];

interface WebhookDefinition {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}

let definitions: WebhookDefinition[] | undefined;

/** A deep copy of the first `@octokit/webhooks-examples` example of `name`.`action`. */
function example(name: string, action: string): Record<string, unknown> {
  definitions ??= createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
  const found = definitions
    .find((definition) => definition.name === name)
    ?.examples.find((item) => item.action === action);
  if (found === undefined) throw new Error(`@octokit/webhooks-examples has no ${name}.${action}`);
  return structuredClone(found);
}

/** An `issues.opened` delivery for an issue seeded in the fake. */
export function buildIssueOpenedPayload(
  context: ViewContext,
  repo: RepoState,
  issue: IssueRecord,
): IssueOpenedPayload {
  const payload = example('issues', 'opened');
  const base = withoutPull(payload.issue);
  return {
    ...payload,
    action: 'opened',
    issue: { ...base, ...renderIssue(context, repo, issue) },
    repository: { ...(payload.repository as object), ...renderRepo(context, repo.record) },
    sender: renderUser(context, issue.user),
    installation: installation(context),
  } as unknown as IssueOpenedPayload;
}

/** An `issue_comment.created` delivery; adds the comment to the fake first unless `commentId` names one. */
export function buildIssueCommentCreatedPayload(
  context: ViewContext,
  repo: RepoState,
  issue: IssueRecord,
  params: { commentId: number } | { body: string; user: string },
): IssueCommentCreatedPayload {
  const payload = example('issue_comment', 'created');
  const comment =
    'commentId' in params
      ? repo.comments.find((item) => item.id === params.commentId)
      : addComment(context, repo, { issue: issue.number, body: params.body, user: params.user });
  if (comment === undefined || comment.issue !== issue.number) {
    throw new Error(`fake GitHub has no comment ${JSON.stringify(params)} on issue ${issue.number}`);
  }
  const rendered = renderComment(context, repo, comment);
  return {
    ...payload,
    action: 'created',
    issue: { ...withoutPull(payload.issue), ...renderIssue(context, repo, issue) },
    comment: {
      ...(payload.comment as object),
      ...rendered,
      reactions: reactionRollup(`${rendered.url}/reactions`),
    },
    repository: { ...(payload.repository as object), ...renderRepo(context, repo.record) },
    sender: renderUser(context, comment.user),
    installation: installation(context),
  } as unknown as IssueCommentCreatedPayload;
}

/** A `workflow_run.completed` delivery for a run of the fake, triggered by the bot's dispatch. */
export function buildWorkflowRunCompletedPayload(
  context: ViewContext,
  repo: RepoState,
  run: WorkflowRunRecord,
): WorkflowRunCompletedPayload {
  const { organization: _organization, ...payload } = example('workflow_run', 'completed');
  const rendered = renderWorkflowRun(context, repo, run);
  const actor = renderUser(context, context.botLogin);
  const workflowUrl = `${repoApiUrl(context, repo.record.owner, repo.record.repo)}/actions/workflows/${run.workflowId}`;
  return {
    ...payload,
    action: 'completed',
    workflow_run: {
      ...(payload.workflow_run as object),
      ...rendered,
      actor,
      triggering_actor: actor,
      check_suite_node_id: nodeId('CS', rendered.check_suite_id),
      previous_attempt_url: null,
    },
    workflow: {
      ...(payload.workflow as object),
      id: run.workflowId,
      node_id: nodeId('W', run.workflowId),
      name: run.name,
      path: run.path,
      url: workflowUrl,
      html_url: `${context.base}/${repo.record.owner}/${repo.record.repo}/blob/${repo.record.defaultBranch}/${run.path}`,
      badge_url: `${context.base}/${repo.record.owner}/${repo.record.repo}/workflows/${run.workflowId}/badge.svg`,
    },
    repository: { ...(payload.repository as object), ...renderRepo(context, repo.record) },
    sender: actor,
    installation: installation(context),
  } as unknown as WorkflowRunCompletedPayload;
}

function installation(context: ViewContext) {
  return { id: context.installationId, node_id: nodeId('MDIz', context.installationId) };
}

/** The example issue without its `pull_request` link, which only pull requests carry. */
function withoutPull(issue: unknown): Record<string, unknown> {
  const { pull_request: _pull, ...rest } = issue as Record<string, unknown>;
  return rest;
}
