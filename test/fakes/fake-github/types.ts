import type {
  IssueCommentCreatedPayload,
  IssueOpenedPayload,
  WorkflowRunCompletedPayload,
} from './payloads.js';
import type { FaultPlan, ReceivedRequest, Violation } from './server.js';
import type {
  ArtifactRecord,
  CheckRunRecord,
  CommentRecord,
  DispatchRecord,
  FakeState,
  IssueRecord,
  ReactionRecord,
  RepoRole,
  WorkflowRunRecord,
} from './state.js';

export interface StartFakeGitHubOptions {
  /** The GitHub App id (`GET /app`, check runs). Default 1. */
  appId?: number;
  /** The only installation; tokens for any other id are 404. Default 1. */
  installationId?: number;
  /** Login the app's writes are attributed to. Default `lakeflow-connector-bot[bot]`. */
  botLogin?: string;
  /** Secret for `x-hub-signature-256`. Default `fake-webhook-secret`. */
  webhookSecret?: string;
  /** Where `sendWebhook` posts; can also be set later through `fake.webhookUrl`. */
  webhookUrl?: string;
  /** Clock for every timestamp the fake writes. Default: the system clock. */
  now?: () => Date;
}

/** A pull request as tests assert on it. */
export interface FakePull {
  number: number;
  nodeId: string;
  title: string;
  body: string | null;
  user: string;
  state: 'open' | 'closed';
  draft: boolean;
  head: string;
  base: string;
  labels: string[];
  requestedReviewers: string[];
}

type RepoParams = { owner: string; repo: string };

/** A running fake GitHub: seed it, point Octokit at `url`, then inspect what the bot did. */
export interface FakeGitHub {
  /** Base URL for Octokit's `baseUrl` / `GITHUB_API_URL`, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  readonly appId: number;
  readonly installationId: number;
  readonly botLogin: string;
  readonly webhookSecret: string;
  /** The app's webhook endpoint; set it once the app listens. */
  webhookUrl: string | undefined;
  /** Live state, for assertions the helpers below do not cover. */
  readonly state: FakeState;
  /** Every request received, in order, with the status answered. */
  readonly received: ReceivedRequest[];
  /** Unknown routes, unmodelled requests and schema breaches, in order. */
  readonly violations: Violation[];
  /** Workflow dispatches received, in order. */
  readonly dispatches: DispatchRecord[];
  /**
   * Injected failures: asked on every authenticated, routed request; a fault answers 5xx/429 before
   * the request is applied or after it (the write happened, the client sees an error).
   */
  faults: FaultPlan | undefined;
  /** Milliseconds every request waits before it is handled (0, the default: at once). */
  latencyMs: number;
  /** Called (and awaited) before a workflow dispatch is answered 204; start long work without awaiting it. */
  onDispatch: ((dispatch: DispatchRecord) => void | Promise<void>) | undefined;
  close(): Promise<void>;

  /**
   * Creates a repository with `files` committed on `defaultBranch` (default `main`); returns the head
   * sha. `installed: false` leaves the App off it: `GET /repos/{owner}/{repo}/installation` is 404 and
   * people's writes there are not delivered.
   */
  addRepo(
    params: RepoParams & {
      defaultBranch?: string;
      files?: Record<string, string>;
      private?: boolean;
      installed?: boolean;
    },
  ): string;
  /** Seeds an issue; `number` defaults to the next free number. */
  addIssue(
    params: RepoParams & {
      number?: number;
      title: string;
      body?: string | null;
      user: string;
      labels?: string[];
    },
  ): IssueRecord;
  /** Seeds a comment by someone other than the bot. */
  addComment(params: RepoParams & { issue: number; body: string; user: string }): CommentRecord;
  /**
   * Gives `login` a personal token: requests with it act as that person (`GET /user`; issues and
   * comments they open are theirs and are delivered to `webhookUrl` as `issues.opened` and
   * `issue_comment.created` when the App is installed on the repository). Any other token is the App's.
   */
  addPersonToken(login: string, token: string): void;
  /** Grants a collaborator role; `none` removes the collaborator (permission lookups then 404). */
  setPermission(owner: string, repo: string, login: string, permission: RepoRole | 'none'): void;
  addLabel(params: RepoParams & { name: string; color?: string; description?: string }): void;
  /** Commits on a branch as a human push would (`null` deletes a path); returns the new head sha. */
  pushCommit(
    params: RepoParams & {
      branch: string;
      message: string;
      files: Record<string, string | null>;
      author?: string;
    },
  ): string;
  /** Seeds a workflow run; `workflow` is `ci.yml`, a path or an id (default `ci.yml`). */
  addWorkflowRun(
    params: RepoParams & {
      workflow?: string;
      name?: string;
      headBranch: string;
      headSha?: string;
      event?: string;
      status?: WorkflowRunRecord['status'];
      conclusion?: string | null;
      displayTitle?: string;
      createdAt?: string;
    },
  ): WorkflowRunRecord;
  updateWorkflowRun(
    owner: string,
    repo: string,
    runId: number,
    patch: Partial<Pick<WorkflowRunRecord, 'status' | 'conclusion' | 'displayTitle'>>,
  ): WorkflowRunRecord;
  /** Seeds an artifact of a run; its download answers these zip bytes. */
  addArtifact(
    params: RepoParams & { runId: number; name: string; zip: Uint8Array; expired?: boolean },
  ): ArtifactRecord;

  issue(owner: string, repo: string, number: number): IssueRecord;
  /** Issues that are not pull requests, by number. */
  issues(owner: string, repo: string): IssueRecord[];
  /** Comments on an issue or pull request, oldest first. */
  comments(owner: string, repo: string, issue: number): CommentRecord[];
  reactions(owner: string, repo: string, commentId: number): ReactionRecord[];
  /** The full file map (path → utf-8 text) at a branch, ref or commit sha. */
  filesAt(owner: string, repo: string, branchOrSha: string): Record<string, string>;
  /** History of a branch or commit, newest first. */
  commitsOn(
    owner: string,
    repo: string,
    branch: string,
  ): Array<{ sha: string; message: string; parents: string[] }>;
  /** Pull requests, oldest first. */
  pulls(owner: string, repo: string): FakePull[];
  checkRuns(owner: string, repo: string): CheckRunRecord[];

  /** POSTs a signed delivery to `webhookUrl` (or `url`); resolves with the HTTP status (10 s bound). */
  sendWebhook(name: string, payload: unknown, options?: { id?: string; url?: string }): Promise<number>;
  /** An `issues.opened` payload for a seeded issue. */
  issueOpenedPayload(params: RepoParams & { number: number }): IssueOpenedPayload;
  /** An `issue_comment.created` payload; with `body` + `user` it first adds that comment to the fake. */
  issueCommentCreatedPayload(
    params: RepoParams & { issue: number } & ({ commentId: number } | { body: string; user: string }),
  ): IssueCommentCreatedPayload;
  /** A `workflow_run.completed` payload for a run of the fake (its current status and conclusion). */
  workflowRunCompletedPayload(params: RepoParams & { runId: number }): WorkflowRunCompletedPayload;

  /** Throws, listing every violation, when there is any (call it in `afterEach`). */
  assertNoViolations(): void;
  /** Returns and clears the violations (for tests that provoke one on purpose). */
  takeViolations(): Violation[];
}
