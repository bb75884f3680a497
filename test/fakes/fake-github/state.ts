import { GitStore } from './git-store.js';

/** Collaborator permission levels a test can grant. */
export type RepoRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

/** A seeded repository with its git database. */
export interface RepoRecord {
  id: number;
  owner: string;
  repo: string;
  defaultBranch: string;
  private: boolean;
  createdAt: string;
  git: GitStore;
  /** Whether the App is installed on it (`GET /repos/{owner}/{repo}/installation`, webhooks of people's writes). */
  installed: boolean;
}

/** The pull-request side of an issue number. */
export interface PullData {
  id: number;
  nodeId: string;
  head: string;
  base: string;
  draft: boolean;
  requestedReviewers: string[];
}

/** An issue; pull requests are issues with `pull` set, as on GitHub (they share numbers and labels). */
export interface IssueRecord {
  id: number;
  nodeId: string;
  number: number;
  title: string;
  body: string | null;
  user: string;
  labels: string[];
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  pull?: PullData;
}

export interface CommentRecord {
  id: number;
  issue: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
  /** The classifier of a GraphQL `minimizeComment` (`OUTDATED`, …); absent while the comment shows. */
  minimizedAs?: string;
}

export interface ReactionRecord {
  id: number;
  commentId: number;
  user: string;
  content: string;
  createdAt: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  title: string | null;
  summary: string | null;
  text: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: string | null;
  completedAt: string | null;
}

export interface WorkflowRunRecord {
  id: number;
  workflowId: number;
  path: string;
  name: string;
  runNumber: number;
  headBranch: string;
  headSha: string;
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  displayTitle: string;
  createdAt: string;
  updatedAt: string;
}

export interface ArtifactRecord {
  id: number;
  runId: number;
  name: string;
  data: Buffer;
  expired: boolean;
  createdAt: string;
}

/** A recorded `POST /actions/workflows/{workflow_id}/dispatches`. */
export interface DispatchRecord {
  owner: string;
  repo: string;
  workflowId: string;
  ref: string;
  inputs: Record<string, unknown>;
}

/** Everything one repository holds besides git data. */
export interface RepoState {
  record: RepoRecord;
  issues: Map<number, IssueRecord>;
  comments: CommentRecord[];
  reactions: ReactionRecord[];
  labels: Map<string, LabelRecord>;
  permissions: Map<string, RepoRole>;
  checkRuns: CheckRunRecord[];
  workflows: Map<string, number>;
  runs: WorkflowRunRecord[];
  artifacts: ArtifactRecord[];
}

/** The whole fake: repositories by `owner/repo` (case-insensitive, as on GitHub) and id counters. */
/** One attempt at delivering a webhook, as `GET /app/hook/deliveries` lists it (plus what re-sends it). */
export interface DeliveryRecord {
  id: number;
  /** The `x-github-delivery` header: the same for every attempt of one event. */
  guid: string;
  deliveredAt: string;
  redelivery: boolean;
  /** The receiver's HTTP status; 0 when it gave none (refused, reset, timed out). */
  statusCode: number;
  event: string;
  action: string | null;
  durationMs: number;
  /** What a redelivery sends again. */
  url: string;
  payload: unknown;
}

export class FakeState {
  readonly repos = new Map<string, RepoState>();
  readonly dispatches: DispatchRecord[] = [];
  /** Every webhook delivery attempt, oldest first. */
  readonly deliveries: DeliveryRecord[] = [];
  /** People's tokens (personal access tokens) → their logins: what they write is theirs, not the App's. */
  readonly personTokens = new Map<string, string>();
  private readonly users = new Map<string, number>();
  private nextId = 1000;

  constructor(readonly now: () => string) {}

  /** A fresh id, unique across every kind of object in this fake. */
  id(): number {
    this.nextId += 1;
    return this.nextId;
  }

  userId(login: string): number {
    let id = this.users.get(login);
    if (id === undefined) {
      id = 5000 + this.users.size;
      this.users.set(login, id);
    }
    return id;
  }

  repo(owner: string, repo: string): RepoState | undefined {
    return this.repos.get(repoKey(owner, repo));
  }

  /** The repository or an error naming it, for helpers called by tests. */
  requireRepo(owner: string, repo: string): RepoState {
    const found = this.repo(owner, repo);
    if (found === undefined) throw new Error(`fake GitHub has no repository ${owner}/${repo}`);
    return found;
  }

  createRepo(
    owner: string,
    repo: string,
    defaultBranch: string,
    isPrivate: boolean,
    installed = true,
  ): RepoState {
    const state: RepoState = {
      record: {
        id: this.id(),
        owner,
        repo,
        defaultBranch,
        private: isPrivate,
        createdAt: this.now(),
        git: new GitStore(),
        installed,
      },
      issues: new Map(),
      comments: [],
      reactions: [],
      labels: new Map(),
      permissions: new Map(),
      checkRuns: [],
      workflows: new Map(),
      runs: [],
      artifacts: [],
    };
    this.repos.set(repoKey(owner, repo), state);
    return state;
  }

  nextIssueNumber(repo: RepoState): number {
    return Math.max(0, ...repo.issues.keys()) + 1;
  }

  /** The repository label `name`, created with GitHub's default grey when missing. */
  ensureLabel(repo: RepoState, name: string): LabelRecord {
    const key = name.toLowerCase();
    let label = repo.labels.get(key);
    if (label === undefined) {
      label = { id: this.id(), name, color: 'ededed', description: null };
      repo.labels.set(key, label);
    }
    return label;
  }

  /** The workflow a dispatch or seeded run names, by numeric id, file name or path. */
  workflow(repo: RepoState, workflow: string): { id: number; path: string } {
    if (/^\d+$/.test(workflow)) {
      const id = Number(workflow);
      const path =
        [...repo.workflows].find(([, known]) => known === id)?.[0] ?? `.github/workflows/${id}.yml`;
      repo.workflows.set(path, id);
      return { id, path };
    }
    const path = workflow.includes('/') ? workflow : `.github/workflows/${workflow}`;
    let id = repo.workflows.get(path);
    if (id === undefined) {
      id = this.id();
      repo.workflows.set(path, id);
    }
    return { id, path };
  }
}

export function repoKey(owner: string, repo: string): string {
  return `${owner}/${repo}`.toLowerCase();
}
