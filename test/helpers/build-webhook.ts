import { createRequire } from 'node:module';

/**
 * Typed builders of webhook payloads: each starts from a real delivery in
 * `@octokit/webhooks-examples` and overrides only what a test varies.
 */

interface WebhookDefinition {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];

export const REPO = { owner: 'acme', repo: 'connectors', installationId: 7 } as const;

function example(name: string, action: string): Record<string, unknown> {
  const found =
    examples.find((definition) => definition.name === name)?.examples.filter((e) => e.action === action) ??
    [];
  const chosen = found.find((e) => e.installation !== undefined) ?? found[0];
  if (!chosen) throw new Error(`no ${name}.${action} example`);
  return structuredClone(chosen);
}

function user(login: string, type: 'User' | 'Bot' = 'User') {
  return { login, id: 1000 + login.length, node_id: `U_${login}`, type, site_admin: false };
}

function repository(base: unknown) {
  const repo = base as Record<string, unknown>;
  return {
    ...repo,
    name: REPO.repo,
    full_name: `${REPO.owner}/${REPO.repo}`,
    html_url: `https://github.com/${REPO.owner}/${REPO.repo}`,
    owner: { ...(repo.owner as object), login: REPO.owner },
  };
}

function common(payload: Record<string, unknown>, sender: string, senderType: 'User' | 'Bot' = 'User') {
  return {
    ...payload,
    repository: repository(payload.repository),
    installation: { id: REPO.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNw==' },
    sender: user(sender, senderType),
  };
}

/** `issues.opened` or `issues.edited` for issue #`number`. */
export function buildIssueEvent(params: {
  action: 'opened' | 'edited';
  number?: number;
  body: string;
  labels?: string[];
  author?: string;
  sender?: string;
  senderType?: 'User' | 'Bot';
  bodyChanged?: boolean;
}) {
  const payload = example('issues', params.action);
  const issue = payload.issue as Record<string, unknown>;
  return {
    ...common(payload, params.sender ?? params.author ?? 'requester', params.senderType),
    action: params.action,
    ...(params.action === 'edited'
      ? { changes: params.bodyChanged === false ? { title: { from: 'x' } } : { body: { from: 'old' } } }
      : {}),
    issue: {
      ...issue,
      number: params.number ?? 42,
      body: params.body,
      user: user(params.author ?? 'requester'),
      labels: (params.labels ?? ['lakeflow-connector']).map((name, index) => ({
        id: index + 1,
        name,
        color: 'ededed',
      })),
      pull_request: undefined,
    },
  };
}

/** `issue_comment.created` on issue #`number` (or on a PR whose body is `pullRequestBody`). */
export function buildIssueComment(params: {
  body: string;
  login?: string;
  userType?: 'User' | 'Bot';
  number?: number;
  issueAuthor?: string;
  commentId?: number;
  pullRequestBody?: string;
  /** Label names of the issue (the example's `bug` when omitted). */
  labels?: string[];
}) {
  const payload = example('issue_comment', 'created');
  const issue = payload.issue as Record<string, unknown>;
  const comment = payload.comment as Record<string, unknown>;
  const login = params.login ?? 'maintainer';
  return {
    ...common(payload, login, params.userType),
    issue: {
      ...issue,
      number: params.number ?? 42,
      user: user(params.issueAuthor ?? 'requester'),
      body: params.pullRequestBody ?? 'issue body',
      ...(params.labels === undefined ? {} : { labels: params.labels.map((name, id) => ({ id, name })) }),
      pull_request:
        params.pullRequestBody === undefined
          ? undefined
          : { url: `https://api.github.com/repos/${REPO.owner}/${REPO.repo}/pulls/${params.number ?? 57}` },
    },
    comment: {
      ...comment,
      id: params.commentId ?? 555,
      body: params.body,
      user: user(login, params.userType),
    },
  };
}

/** `pull_request_review_comment.created` on a line of `path` in PR #57. */
export function buildReviewComment(params: {
  body: string;
  path: string;
  pullRequestBody: string;
  login?: string;
}) {
  const payload = example('pull_request_review_comment', 'created');
  const pull = payload.pull_request as Record<string, unknown>;
  const comment = payload.comment as Record<string, unknown>;
  return {
    ...common(payload, params.login ?? 'reviewer'),
    pull_request: { ...pull, number: 57, body: params.pullRequestBody },
    comment: {
      ...comment,
      id: 777,
      body: params.body,
      path: params.path,
      user: user(params.login ?? 'reviewer'),
    },
  };
}

/** `pull_request_review.submitted` on PR #57 by `login` (default `reviewer`). */
export function buildReview(params: { body: string | null; pullRequestBody: string; login?: string }) {
  const payload = example('pull_request_review', 'submitted');
  const pull = payload.pull_request as Record<string, unknown>;
  const review = payload.review as Record<string, unknown>;
  return {
    ...common(payload, params.login ?? 'reviewer'),
    pull_request: { ...pull, number: 57, body: params.pullRequestBody },
    review: { ...review, id: 888, body: params.body, user: user(params.login ?? 'reviewer') },
  };
}

/** `workflow_run.completed` of `path` whose run name is `runName`. */
export function buildWorkflowRun(params: {
  runName: string;
  path?: string;
  conclusion?: string;
  /** Default `workflow_dispatch`, the event the bot's runs are started by. */
  event?: string;
  headBranch?: string;
  headSha?: string;
}) {
  const payload = example('workflow_run', 'completed');
  const run = payload.workflow_run as Record<string, unknown>;
  return {
    ...common(payload, 'octocat'),
    workflow_run: {
      ...run,
      id: 901,
      name: 'lakeflow connector tests',
      display_title: params.runName,
      path: params.path ?? '.github/workflows/lakeflow-connector-tests.yml',
      conclusion: params.conclusion ?? 'success',
      event: params.event ?? 'workflow_dispatch',
      ...(params.headBranch === undefined ? {} : { head_branch: params.headBranch }),
      ...(params.headSha === undefined ? {} : { head_sha: params.headSha }),
      html_url: `https://github.com/${REPO.owner}/${REPO.repo}/actions/runs/901`,
    },
  };
}

/**
 * `issues.closed` or `issues.reopened` on issue #`number` by `sender`. The examples hold no
 * `issues.closed`, so a close is the `reopened` delivery with the action and state a close has.
 */
export function buildIssueLifecycle(params: {
  action: 'closed' | 'reopened';
  number?: number;
  sender?: string;
  /** The issue's body and author (the example's when absent); a `[bot]` login is a Bot. */
  body?: string | null;
  author?: string;
}) {
  const payload = example('issues', 'reopened');
  const issue = payload.issue as Record<string, unknown>;
  const user = issue.user as Record<string, unknown>;
  return {
    ...common(payload, params.sender ?? 'maintainer'),
    action: params.action,
    issue: {
      ...issue,
      number: params.number ?? 42,
      state: params.action === 'closed' ? 'closed' : 'open',
      pull_request: undefined,
      ...(params.body === undefined ? {} : { body: params.body }),
      ...(params.author === undefined
        ? {}
        : {
            user: { ...user, login: params.author, type: params.author.endsWith('[bot]') ? 'Bot' : 'User' },
          }),
    },
  };
}

/** `pull_request.closed` (merged or not) or `pull_request.reopened` of PR #57 whose body is `pullRequestBody`. */
export function buildPullRequestLifecycle(params: {
  action: 'closed' | 'reopened';
  pullRequestBody: string | null;
  merged?: boolean;
  number?: number;
  sender?: string;
}) {
  const payload = example('pull_request', params.action);
  const pull = payload.pull_request as Record<string, unknown>;
  const number = params.number ?? 57;
  return {
    ...common(payload, params.sender ?? 'maintainer'),
    number,
    pull_request: {
      ...pull,
      number,
      body: params.pullRequestBody,
      state: params.action === 'closed' ? 'closed' : 'open',
      merged: params.merged ?? false,
    },
  };
}
