import type { RepoPermission } from '../domain/commands/command-permissions.js';
import type { RunRef } from '../domain/pipeline/run.js';

/** A comment the bot owns, found by its hidden marker. */
export interface CommentRef {
  id: number;
  url: string;
}

/** A comment by anyone, as `listCommentsSince` returns it. */
export interface IssueComment {
  id: number;
  body: string;
  author: string;
  /** GitHub says the author is a bot (an App, or a `[bot]` login). */
  authorIsBot: boolean;
  createdAt: string;
}

/** An issue the bot opened, found by the hidden marker its body starts with. */
export interface OwnIssue {
  number: number;
  body: string;
  /** False once someone closed it (until it is reopened). */
  open: boolean;
  url: string;
}

/** Collaborator permission as GitHub reports it (`none` when the user is not a collaborator). */
export type Permission = RepoPermission;

/** State of a check run as the bot sets it. */
export type CheckState = 'queued' | 'in_progress' | 'success' | 'failure' | 'cancelled';

/** A file of a commit's tree (`mode` `100644`, `100755`, or `120000` for a symbolic link). */
export interface TreeFile {
  path: string;
  mode: string;
  type: 'blob';
  /** Size in bytes. */
  size: number;
}

/** Bodies of text files over this many bytes are not kept by `readTree` (no connector source is that big). */
export const MAX_TREE_TEXT_BYTES = 1024 * 1024;

/** What `readTree` keeps of a file's content. */
export type TreeBody =
  /** UTF-8 text (no NUL byte), at most `MAX_TREE_TEXT_BYTES`. */
  | { kind: 'text'; text: string }
  /** Has a NUL byte; not kept. */
  | { kind: 'binary' }
  /** Over `MAX_TREE_TEXT_BYTES`; not kept. */
  | { kind: 'too_large' }
  /** A symbolic link (mode `120000`) and where it points. */
  | { kind: 'symlink'; target: string };

/** A file of a tree read whole: its listing entry, its git blob id and what was kept of it. */
export interface TreeFileContent extends TreeFile {
  /**
   * sha1 of `blob <size>\0<bytes>` over the bytes read: git's blob id (unless the repository's
   * `export-subst` rewrote the file in the archive). Equal ids mean equal content.
   */
  blobSha: string;
  body: TreeBody;
}

/** Every file of a commit's tree by path (folders and submodules left out). */
export type FileTree = ReadonlyMap<string, TreeFileContent>;

/**
 * GitHub, as far as the bot uses it, for one repository of one installation. Every write is
 * idempotent: `ensure*`/`upsert*` find what exists (by hidden marker, branch name or check name)
 * and create, update or leave it, so effects can be replayed after a crash.
 */
export interface GitHubPort {
  /** The repository this port is bound to. */
  readonly repo: Pick<RunRef, 'installationId' | 'owner' | 'repo'>;
  /** Creates or edits the bot's comment with marker `key` on an issue or PR; returns it. */
  upsertComment(params: { issue: number; key: string; body: string }): Promise<CommentRef>;
  /** The bot's own comment with marker `key`, if there is one (comments by others never match). */
  findComment(params: { issue: number; key: string }): Promise<{ id: number; body: string } | null>;
  /**
   * Comments anyone wrote on `issue` at or after `since` (ISO), oldest first, at most `limit`: what a
   * rebuilt run reads to find commands whose jobs Redis lost.
   */
  listCommentsSince(params: { issue: number; since: string; limit: number }): Promise<IssueComment[]>;
  /** Reacts to a comment (👀 acknowledges an accepted command); reacting twice is a no-op. */
  addReaction(params: { commentId: number; content: 'eyes' | '+1' | 'confused' }): Promise<void>;
  /**
   * Hides anyone's comment by its GraphQL node id (`minimizeComment`, classifier `OUTDATED`): how a
   * comment that looks like pasted credentials is taken out of sight. Hiding it again is harmless.
   */
  minimizeComment(nodeId: string): Promise<void>;
  /**
   * The oldest issue the bot opened whose body starts with the marker of `key`, open or closed, or
   * `null`: how it finds its own issue again whatever its title became. Issues and pull requests
   * anyone else opened never match, even with the marker.
   */
  findOwnIssue(key: string): Promise<OwnIssue | null>;
  /**
   * Opens an issue whose body starts with the marker of `key`. A create GitHub may have applied
   * despite its error (a 5xx, no answer) is looked for by `key` rather than sent twice.
   */
  createIssue(params: { key: string; title: string; body: string }): Promise<{ number: number; url: string }>;
  /** Replaces the body of issue `number` (only ever the bot's own, as `findOwnIssue` found it). */
  editIssueBody(params: { number: number; body: string }): Promise<void>;
  /** Deletes the bot's comment with marker `key`, if there is one. */
  deleteComment(params: { issue: number; key: string }): Promise<void>;
  /** Head sha of `branch`, or `null` if the branch does not exist. */
  getBranchHead(branch: string): Promise<string | null>;
  /** Creates `branch` from the default branch head if missing; returns its head sha. */
  ensureBranch(branch: string): Promise<string>;
  /**
   * Finds the open PR from `branch` or opens a draft one; keeps its body in step. With `held` (the
   * PR the run already has), a branch without an open PR gets none: that PR was closed, and the
   * bot never replaces it (`held` is returned, untouched).
   */
  ensurePullRequest(params: {
    branch: string;
    title: string;
    body: string;
    labels: string[];
    held?: number;
  }): Promise<{ number: number; url: string }>;
  /** Sets the body of PR `number` (the run's own, known by number: no lookup). */
  editPullRequestBody(params: { number: number; body: string }): Promise<void>;
  /** Marks the PR ready for review and requests `reviewers`. */
  markPullRequestReady(params: { number: number; reviewers: string[] }): Promise<void>;
  /** Adds and removes labels (creating missing labels) on an issue or PR. */
  setLabels(params: { issue: number; add: string[]; remove: string[] }): Promise<void>;
  /** Creates or updates the check run `name` on `headSha`. */
  upsertCheckRun(params: {
    name: string;
    headSha: string;
    state: CheckState;
    title: string;
    summary: string;
  }): Promise<void>;
  /** The collaborator permission of `login`. */
  getPermission(login: string): Promise<Permission>;
  /** True when `path` exists on the default branch. */
  pathExists(path: string): Promise<boolean>;
  /** Text of `path` at `ref` (default branch when omitted), or `null` when it does not exist. */
  readFile(params: { path: string; ref?: string }): Promise<string | null>;
  /**
   * One commit on `branch` whose parent is `expectedHeadSha`, the branch moved to it (never forced).
   * Compare-and-set: throws `StateConflictError` when the branch head is no longer `expectedHeadSha`.
   * A `null` content deletes the file. Never re-sent blindly: a commit applied but whose answer was
   * lost is returned, or the call fails with the branch already at it (callers find it by trailer).
   */
  commitFiles(params: {
    branch: string;
    expectedHeadSha: string;
    message: string;
    changes: Array<{ path: string; content: string | null }>;
  }): Promise<{ sha: string }>;
  /**
   * Every file of the tree at commit `sha` with its content, in one request (the repository's
   * tarball). A commit never changes, so adapters may keep the answer: later reads at the same sha
   * cost nothing. Files the repository's `.gitattributes` marks `export-ignore` are left out, as
   * from any archive GitHub makes.
   */
  readTree(params: { sha: string }): Promise<FileTree>;
  /**
   * The newest of the last `limit` commits on `branch` whose message has the exact line `trailer`
   * (e.g. `Lakeflow-Job: <job id>`), or `null`: how a retried job recognises its own commit.
   * A missing branch has no such commit.
   */
  findCommitByTrailer(params: { branch: string; trailer: string; limit?: number }): Promise<string | null>;
  /** The head branch and body of a pull request, or `null` when it does not exist. */
  getPullRequest(
    number: number,
  ): Promise<{ number: number; headBranch: string; body: string; draft: boolean } | null>;
}
