import { StateConflictError } from '../../src/errors.js';
import type { CheckState, CommentRef, GitHubPort, Permission } from '../../src/ports/github.js';

/** A comment as the in-memory GitHub keeps it. */
export interface FakeComment {
  id: number;
  issue: number;
  key: string;
  body: string;
  edits: number;
}

/**
 * An in-memory `GitHubPort` for worker and queue tests: keeps comments by marker key, branches,
 * PRs, labels and check runs, and counts every write so tests can assert idempotency.
 */
export class InMemoryGitHub implements GitHubPort {
  readonly repo = { installationId: 7, owner: 'acme', repo: 'connectors' };
  readonly comments: FakeComment[] = [];
  readonly branches = new Map<string, string>();
  readonly pulls: Array<{ number: number; branch: string; body: string; labels: string[]; ready: boolean }> =
    [];
  readonly labels = new Map<number, Set<string>>();
  readonly checkRuns = new Map<string, { headSha: string; state: CheckState; title: string }>();
  readonly permissions = new Map<string, Permission>();
  readonly existingPaths = new Set<string>();
  writes = 0;
  private nextId = 1000;

  async upsertComment(params: { issue: number; key: string; body: string }): Promise<CommentRef> {
    const found = this.comments.find(
      (comment) => comment.issue === params.issue && comment.key === params.key,
    );
    if (found) {
      if (found.body !== params.body) {
        found.body = params.body;
        found.edits += 1;
        this.writes += 1;
      }
      return { id: found.id, url: `https://github.test/comment/${found.id}` };
    }
    const comment = { id: this.nextId++, issue: params.issue, key: params.key, body: params.body, edits: 0 };
    this.comments.push(comment);
    this.writes += 1;
    return { id: comment.id, url: `https://github.test/comment/${comment.id}` };
  }

  async findComment(params: { issue: number; key: string }): Promise<{ id: number; body: string } | null> {
    const found = this.comments.find(
      (comment) => comment.issue === params.issue && comment.key === params.key,
    );
    return found ? { id: found.id, body: found.body } : null;
  }

  readonly reactions = new Set<string>();

  async addReaction(params: { commentId: number; content: string }): Promise<void> {
    this.reactions.add(`${params.commentId}:${params.content}`);
  }

  readonly files = new Map<string, string>();
  readonly commits: Array<{ branch: string; sha: string; parent: string; message: string; paths: string[] }> =
    [];

  async readFile(params: { path: string; ref?: string }): Promise<string | null> {
    return this.files.get(params.path) ?? null;
  }

  async commitFiles(params: {
    branch: string;
    expectedHeadSha: string;
    message: string;
    changes: Array<{ path: string; content: string | null }>;
  }): Promise<{ sha: string }> {
    const head = this.branches.get(params.branch);
    if (head !== params.expectedHeadSha) throw new StateConflictError(`Branch ${params.branch} moved`);
    const sha = `c${this.commits.length + 1}`.padEnd(40, '0');
    for (const change of params.changes) {
      if (change.content === null) this.files.delete(change.path);
      else this.files.set(change.path, change.content);
    }
    this.commits.push({
      branch: params.branch,
      sha,
      parent: head,
      message: params.message,
      paths: params.changes.map((c) => c.path),
    });
    this.branches.set(params.branch, sha);
    this.writes += 1;
    return { sha };
  }

  async getPullRequest(number: number) {
    const pull = this.pulls.find((candidate) => candidate.number === number);
    return pull ? { number, headBranch: pull.branch, body: pull.body, draft: !pull.ready } : null;
  }

  async deleteComment(params: { issue: number; key: string }): Promise<void> {
    const index = this.comments.findIndex(
      (comment) => comment.issue === params.issue && comment.key === params.key,
    );
    if (index >= 0) {
      this.comments.splice(index, 1);
      this.writes += 1;
    }
  }

  async getBranchHead(branch: string): Promise<string | null> {
    return this.branches.get(branch) ?? null;
  }

  async ensureBranch(branch: string): Promise<string> {
    const head = this.branches.get(branch);
    if (head) return head;
    this.branches.set(branch, 'base'.padEnd(40, '0'));
    this.writes += 1;
    return 'base'.padEnd(40, '0');
  }

  async ensurePullRequest(params: { branch: string; title: string; body: string; labels: string[] }) {
    let pull = this.pulls.find((candidate) => candidate.branch === params.branch);
    if (!pull) {
      pull = {
        number: 100 + this.pulls.length,
        branch: params.branch,
        body: params.body,
        labels: params.labels,
        ready: false,
      };
      this.pulls.push(pull);
      this.writes += 1;
    } else if (pull.body !== params.body) {
      pull.body = params.body;
      this.writes += 1;
    }
    return { number: pull.number, url: `https://github.test/pull/${pull.number}` };
  }

  async markPullRequestReady(params: { number: number }): Promise<void> {
    const pull = this.pulls.find((candidate) => candidate.number === params.number);
    if (pull && !pull.ready) {
      pull.ready = true;
      this.writes += 1;
    }
  }

  async setLabels(params: { issue: number; add: string[]; remove: string[] }): Promise<void> {
    const set = this.labels.get(params.issue) ?? new Set<string>();
    for (const label of params.add) set.add(label);
    for (const label of params.remove) set.delete(label);
    this.labels.set(params.issue, set);
  }

  async upsertCheckRun(params: {
    name: string;
    headSha: string;
    state: CheckState;
    title: string;
  }): Promise<void> {
    this.checkRuns.set(`${params.name}@${params.headSha}`, {
      headSha: params.headSha,
      state: params.state,
      title: params.title,
    });
  }

  async getPermission(login: string): Promise<Permission> {
    return this.permissions.get(login) ?? 'none';
  }

  async pathExists(path: string): Promise<boolean> {
    return this.existingPaths.has(path);
  }

  /** Comments on an issue whose marker key starts with `prefix`. */
  commentsWith(prefix: string, issue = 42): FakeComment[] {
    return this.comments.filter((comment) => comment.issue === issue && comment.key.startsWith(prefix));
  }
}
