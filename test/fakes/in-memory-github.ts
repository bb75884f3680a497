import { treeFileContent } from '../../src/adapters/archive/tree-file-content.js';
import { StateConflictError } from '../../src/errors.js';
import type {
  CheckState,
  CommentRef,
  FileTree,
  GitHubPort,
  IssueComment,
  OwnIssue,
  Permission,
} from '../../src/ports/github.js';

/** A comment as the in-memory GitHub keeps it. */
export interface FakeComment {
  id: number;
  issue: number;
  key: string;
  body: string;
  edits: number;
}

/**
 * An in-memory `GitHubPort` for worker, queue and workspace tests: keeps comments by marker key,
 * branches, PRs, labels, check runs and commits, and counts every write so tests can assert
 * idempotency. `files` is the latest content of every path; commits also keep a snapshot each, so
 * `readFile`/`readTree` at a commit sha or branch see that commit's files.
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

  /** Issues the bot opened (`createIssue`), with their marker key; `open` false once closed. */
  readonly issues: Array<{
    number: number;
    key: string;
    title: string;
    body: string;
    open: boolean;
    edits: number;
  }> = [];

  async findOwnIssue(key: string): Promise<OwnIssue | null> {
    const found = this.issues.find((issue) => issue.key === key);
    return found === undefined
      ? null
      : {
          number: found.number,
          body: found.body,
          open: found.open,
          url: `https://github.test/issues/${found.number}`,
        };
  }

  async createIssue(params: {
    key: string;
    title: string;
    body: string;
  }): Promise<{ number: number; url: string }> {
    const number = 500 + this.issues.length;
    this.issues.push({
      number,
      key: params.key,
      title: params.title,
      body: params.body,
      open: true,
      edits: 0,
    });
    this.writes += 1;
    return { number, url: `https://github.test/issues/${number}` };
  }

  async editIssueBody(params: { number: number; body: string }): Promise<void> {
    const found = this.issues.find((issue) => issue.number === params.number);
    if (found === undefined) throw new Error(`No issue #${params.number}`);
    found.body = params.body;
    found.edits += 1;
    this.writes += 1;
  }

  readonly reactions = new Set<string>();
  /** People's comments (`addPersonComment`), which `listCommentsSince` returns. */
  readonly peoplesComments: Array<IssueComment & { issue: number }> = [];

  /** Adds a comment someone wrote on `issue` (a command the rebuild may find). */
  addPersonComment(
    comment: Omit<IssueComment, 'id' | 'authorIsBot'> & { issue?: number },
  ): IssueComment & { issue: number } {
    const added = {
      id: 50_000 + this.peoplesComments.length,
      authorIsBot: false,
      ...comment,
      issue: comment.issue ?? 42,
    };
    this.peoplesComments.push(added);
    return added;
  }

  async listCommentsSince(params: { issue: number; since: string; limit: number }): Promise<IssueComment[]> {
    return this.peoplesComments
      .filter((comment) => comment.issue === params.issue)
      .filter((comment) => Date.parse(comment.createdAt) >= Date.parse(params.since))
      .slice(0, params.limit);
  }

  /** Node ids of the comments hidden through `minimizeComment`, in order. */
  readonly minimized: string[] = [];

  async minimizeComment(nodeId: string): Promise<void> {
    if (!this.minimized.includes(nodeId)) this.minimized.push(nodeId);
    this.writes += 1;
  }

  async addReaction(params: { commentId: number; content: string }): Promise<void> {
    this.reactions.add(`${params.commentId}:${params.content}`);
  }

  readonly files = new Map<string, string>();
  readonly commits: Array<{ branch: string; sha: string; parent: string; message: string; paths: string[] }> =
    [];

  /** File snapshots by commit sha (commits made through `commitFiles` or `pushCommit`). */
  readonly snapshots = new Map<string, Map<string, string>>();
  /** File modes by path (default `100644`; `120000` makes a symbolic link). */
  readonly modes = new Map<string, string>();

  /** Files at a branch head or commit sha; the latest `files` for refs without a snapshot. */
  filesAt(ref?: string): Map<string, string> {
    if (ref === undefined) return this.files;
    return this.snapshots.get(this.branches.get(ref) ?? ref) ?? this.files;
  }

  async readFile(params: { path: string; ref?: string }): Promise<string | null> {
    return this.filesAt(params.ref).get(params.path) ?? null;
  }

  /** The shas `readTree` was asked for, in order. */
  readonly treeReads: string[] = [];

  async readTree(params: { sha: string }): Promise<FileTree> {
    this.treeReads.push(params.sha);
    return new Map(
      [...this.filesAt(params.sha)].map(([path, content]) => [
        path,
        treeFileContent(path, this.modes.get(path) ?? '100644', Buffer.from(content, 'utf8')),
      ]),
    );
  }

  async findCommitByTrailer(params: {
    branch: string;
    trailer: string;
    limit?: number;
  }): Promise<string | null> {
    let sha = this.branches.get(params.branch);
    for (let seen = 0; sha !== undefined && seen < (params.limit ?? 50); seen += 1) {
      const commit = this.commits.find((candidate) => candidate.sha === sha);
      if (commit === undefined) return null;
      if (commit.message.split('\n').some((line) => line.trimEnd() === params.trailer)) return commit.sha;
      sha = commit.parent;
    }
    return null;
  }

  async commitFiles(params: {
    branch: string;
    expectedHeadSha: string;
    message: string;
    changes: Array<{ path: string; content: string | null }>;
  }): Promise<{ sha: string }> {
    const head = this.branches.get(params.branch);
    if (head !== params.expectedHeadSha) throw new StateConflictError(`Branch ${params.branch} moved`);
    return { sha: this.addCommit(params.branch, head, params.message, params.changes) };
  }

  /**
   * Someone else's push (or the initial state of a branch): commits `files` (`null` deletes) on
   * `branch` on top of its head, creating the branch when missing. Returns the new head.
   */
  pushCommit(branch: string, files: Record<string, string | null>, message = 'Push by someone else'): string {
    const changes = Object.entries(files).map(([path, content]) => ({ path, content }));
    return this.addCommit(branch, this.branches.get(branch), message, changes);
  }

  private addCommit(
    branch: string,
    parent: string | undefined,
    message: string,
    changes: Array<{ path: string; content: string | null }>,
  ): string {
    const sha = `c${this.commits.length + 1}`.padEnd(40, '0');
    const snapshot = new Map(parent === undefined ? [] : this.filesAt(parent));
    for (const change of changes) {
      for (const files of [snapshot, this.files]) {
        if (change.content === null) files.delete(change.path);
        else files.set(change.path, change.content);
      }
    }
    this.snapshots.set(sha, snapshot);
    this.commits.push({ branch, sha, parent: parent ?? '', message, paths: changes.map((c) => c.path) });
    this.branches.set(branch, sha);
    this.writes += 1;
    return sha;
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

  async editPullRequestBody(params: { number: number; body: string }): Promise<void> {
    const pull = this.pulls.find((candidate) => candidate.number === params.number);
    if (pull === undefined) throw new Error(`no PR #${params.number}`);
    pull.body = params.body;
    this.writes += 1;
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
