import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  buildIssueCommentCreatedPayload,
  buildIssueOpenedPayload,
  buildWorkflowRunCompletedPayload,
  type IssueCommentCreatedPayload,
  type IssueOpenedPayload,
  type WorkflowRunCompletedPayload,
} from './payloads.js';
import type { FakeHooks, RouteContext } from './route.js';
import { actionRoutes } from './routes/actions.js';
import { appRoutes } from './routes/app.js';
import { archiveRoutes } from './routes/archives.js';
import { checkRoutes } from './routes/checks.js';
import { commentRoutes, addComment as storeComment } from './routes/comments.js';
import { contentRoutes } from './routes/contents.js';
import { gitRoutes } from './routes/git.js';
import { graphqlRoutes } from './routes/graphql.js';
import { hookDeliveryRoutes } from './routes/hook-deliveries.js';
import { issueRoutes } from './routes/issues.js';
import { labelRoutes } from './routes/labels.js';
import { pullRoutes, pullsOf } from './routes/pulls.js';
import { repoRoutes } from './routes/repos.js';
import { userRoutes } from './routes/users.js';
import { commitOnBranch, seedArtifact, seedIssue, seedRepo, seedWorkflowRun } from './seed.js';
import { createFakeServer, type FaultPlan, type ReceivedRequest, type Violation } from './server.js';
import { type DeliveryRecord, FakeState } from './state.js';
import type { FakeGitHub, FakePull, StartFakeGitHubOptions } from './types.js';
import { deliverWebhook } from './webhooks.js';

export type {
  IssueCommentCreatedPayload,
  IssueOpenedPayload,
  WorkflowRunCompletedPayload,
} from './payloads.js';
export type { ReceivedRequest, Violation } from './server.js';
export type { FakeGitHub, FakePull, StartFakeGitHubOptions } from './types.js';

/** Every route the fake serves (exported so a test can check each against the API description). */
export const fakeGitHubRoutes = [
  ...appRoutes,
  ...hookDeliveryRoutes,
  ...repoRoutes,
  ...userRoutes,
  ...issueRoutes,
  ...commentRoutes,
  ...labelRoutes,
  ...gitRoutes,
  ...contentRoutes,
  ...archiveRoutes,
  ...pullRoutes,
  ...checkRoutes,
  ...actionRoutes,
  ...graphqlRoutes,
];

/**
 * Starts a stateful fake of the GitHub REST API (plus one GraphQL mutation) on 127.0.0.1 with an
 * ephemeral port. Every request and JSON response is checked against `@octokit/openapi`; anything
 * off is answered 500/501 and kept in `violations` (see `assertNoViolations`).
 */
export async function startFakeGitHub(options: StartFakeGitHubOptions = {}): Promise<FakeGitHub> {
  const clock = options.now ?? (() => new Date());
  const now = () =>
    clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  const state = new FakeState(now);
  const hooks: FakeHooks = {};
  const received: ReceivedRequest[] = [];
  const violations: Violation[] = [];
  const context: RouteContext = {
    base: '',
    state,
    appId: options.appId ?? 1,
    installationId: options.installationId ?? 1,
    botLogin: options.botLogin ?? 'lakeflow-connector-bot[bot]',
    now,
    hooks,
  };
  let faults: FaultPlan | undefined;
  let latencyMs = 0;
  const server = createFakeServer({
    routes: fakeGitHubRoutes,
    context,
    received,
    violations,
    faults: () => faults,
    latencyMs: () => latencyMs,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  context.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const repoOf = (owner: string, repo: string) => state.requireRepo(owner, repo);
  const issueOf = (owner: string, repo: string, number: number) => {
    const issue = repoOf(owner, repo).issues.get(number);
    if (issue === undefined) throw new Error(`fake GitHub has no issue ${owner}/${repo}#${number}`);
    return issue;
  };

  /** Sends one delivery attempt and records it in the App's delivery log, whatever the outcome. */
  async function attempt(params: {
    url: string;
    name: string;
    payload: unknown;
    guid: string;
    redelivery: boolean;
  }): Promise<number> {
    const started = performance.now();
    const record: DeliveryRecord = {
      id: state.id(),
      guid: params.guid,
      deliveredAt: now(),
      redelivery: params.redelivery,
      statusCode: 0,
      event: params.name,
      action: actionOf(params.payload),
      durationMs: 0,
      url: params.url,
      payload: params.payload,
    };
    state.deliveries.push(record);
    try {
      record.statusCode = await deliverWebhook({
        url: params.url,
        secret: fake.webhookSecret,
        name: params.name,
        payload: params.payload,
        id: params.guid,
      });
      return record.statusCode;
    } finally {
      record.durationMs = Math.round(performance.now() - started);
    }
  }
  hooks.redeliver = async (delivery) => {
    await attempt({ ...delivery, name: delivery.event, redelivery: true });
  };
  // GitHub delivers a person's write to the App when it is installed there, after answering the write.
  hooks.personWrote = (write) => {
    const url = fake.webhookUrl;
    if (url === undefined || !write.repo.record.installed) return;
    const [name, payload] =
      write.kind === 'issue_opened'
        ? ['issues', buildIssueOpenedPayload(context, write.repo, write.issue)]
        : [
            'issue_comment',
            buildIssueCommentCreatedPayload(context, write.repo, write.issue, {
              commentId: write.comment.id,
            }),
          ];
    setImmediate(() => {
      attempt({ url, name, payload, guid: randomUUID(), redelivery: false }).catch(() => 0);
    });
  };

  const fake: FakeGitHub = {
    url: context.base,
    appId: context.appId,
    installationId: context.installationId,
    botLogin: context.botLogin,
    webhookSecret: options.webhookSecret ?? 'fake-webhook-secret',
    webhookUrl: options.webhookUrl,
    state,
    received,
    violations,
    dispatches: state.dispatches,
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(ms) {
      latencyMs = ms;
    },
    get faults() {
      return faults;
    },
    set faults(plan) {
      faults = plan;
    },
    get onDispatch() {
      return hooks.onDispatch;
    },
    set onDispatch(handler) {
      hooks.onDispatch = handler;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),

    addRepo: (params) => seedRepo(context, params).record.git.resolve(params.defaultBranch ?? 'main') ?? '',
    addIssue: ({ owner, repo, ...params }) => seedIssue(state, repoOf(owner, repo), params),
    addComment: ({ owner, repo, ...params }) => storeComment(context, repoOf(owner, repo), params),
    addPersonToken(login, token) {
      state.personTokens.set(token, login);
    },
    setPermission(owner, repo, login, permission) {
      const permissions = repoOf(owner, repo).permissions;
      if (permission === 'none') permissions.delete(login.toLowerCase());
      else permissions.set(login.toLowerCase(), permission);
    },
    addLabel({ owner, repo, name, color, description }) {
      const label = state.ensureLabel(repoOf(owner, repo), name);
      label.color = color ?? label.color;
      label.description = description ?? label.description;
    },
    pushCommit: ({ owner, repo, ...params }) => commitOnBranch(context, repoOf(owner, repo), params),
    addWorkflowRun: ({ owner, repo, ...params }) => seedWorkflowRun(state, repoOf(owner, repo), params),
    updateWorkflowRun(owner, repo, runId, patch) {
      const run = repoOf(owner, repo).runs.find((item) => item.id === runId);
      if (run === undefined) throw new Error(`fake GitHub has no run ${runId}`);
      Object.assign(run, patch, { updatedAt: now() });
      return run;
    },
    addArtifact: ({ owner, repo, ...params }) => seedArtifact(state, repoOf(owner, repo), params),

    issue: (owner, repo, number) => structuredClone(issueOf(owner, repo, number)),
    issues: (owner, repo) =>
      structuredClone(
        [...repoOf(owner, repo).issues.values()]
          .filter((issue) => issue.pull === undefined)
          .sort((a, b) => a.number - b.number),
      ),
    comments: (owner, repo, issue) =>
      repoOf(owner, repo)
        .comments.filter((c) => c.issue === issue)
        .map((c) => ({ ...c })),
    reactions: (owner, repo, commentId) =>
      repoOf(owner, repo)
        .reactions.filter((r) => r.commentId === commentId)
        .map((r) => ({ ...r })),
    filesAt(owner, repo, ref) {
      const files = repoOf(owner, repo).record.git.filesAt(ref);
      if (files === undefined)
        throw new Error(`fake GitHub: ${owner}/${repo} has no branch or commit ${ref}`);
      return Object.fromEntries(
        [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, data]) => [path, data.toString('utf8')]),
      );
    },
    commitsOn(owner, repo, branch) {
      const { git } = repoOf(owner, repo).record;
      const head = git.resolve(branch);
      if (head === undefined)
        throw new Error(`fake GitHub: ${owner}/${repo} has no branch or commit ${branch}`);
      return git
        .history(head)
        .map((commit) => ({ sha: commit.sha, message: commit.message, parents: [...commit.parents] }));
    },
    pulls: (owner, repo) => pullsOf(repoOf(owner, repo)).map(toFakePull),
    checkRuns: (owner, repo) => repoOf(owner, repo).checkRuns.map((run) => ({ ...run })),

    sendWebhook(name, payload, sendOptions = {}) {
      const url = sendOptions.url ?? fake.webhookUrl;
      if (url === undefined) throw new Error('fake GitHub: set webhookUrl before sending webhooks');
      return attempt({ url, name, payload, guid: sendOptions.id ?? randomUUID(), redelivery: false });
    },
    issueOpenedPayload: ({ owner, repo, number }): IssueOpenedPayload =>
      buildIssueOpenedPayload(context, repoOf(owner, repo), issueOf(owner, repo, number)),
    issueCommentCreatedPayload: ({ owner, repo, issue, ...params }): IssueCommentCreatedPayload =>
      buildIssueCommentCreatedPayload(context, repoOf(owner, repo), issueOf(owner, repo, issue), params),
    workflowRunCompletedPayload({ owner, repo, runId }): WorkflowRunCompletedPayload {
      const record = repoOf(owner, repo);
      const run = record.runs.find((item) => item.id === runId);
      if (run === undefined) throw new Error(`fake GitHub has no run ${runId}`);
      return buildWorkflowRunCompletedPayload(context, record, run);
    },

    assertNoViolations() {
      if (violations.length === 0) return;
      const lines = violations.map(
        (v) =>
          `- [${v.kind}] ${v.method} ${v.path}${v.operation ? ` (${v.operation})` : ''}\n    ${v.problems.join('\n    ')}`,
      );
      throw new Error(`fake GitHub saw ${violations.length} violation(s):\n${lines.join('\n')}`);
    },
    takeViolations: () => violations.splice(0, violations.length),
  };
  return fake;
}

function toFakePull(issue: ReturnType<typeof pullsOf>[number]): FakePull {
  return {
    number: issue.number,
    nodeId: issue.pull.nodeId,
    title: issue.title,
    body: issue.body,
    user: issue.user,
    state: issue.state,
    draft: issue.pull.draft,
    head: issue.pull.head,
    base: issue.pull.base,
    labels: [...issue.labels],
    requestedReviewers: [...issue.pull.requestedReviewers],
  };
}

function actionOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null || !('action' in payload)) return null;
  return typeof payload.action === 'string' ? payload.action : null;
}
