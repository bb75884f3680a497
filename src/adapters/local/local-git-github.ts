import { InvariantError } from '../../errors.js';
import type { CheckState, GitHubPort } from '../../ports/github.js';
import type { RepoRef } from '../../workers/worker-deps.js';
import {
  commitOnBranch,
  ensureBranchAt,
  findTrailerCommit,
  type GitCheckout,
  readBlob,
  readTreeAt,
  resolveCommit,
} from './git-objects.js';
import { createLocalRecordFile, type LocalRecord } from './local-record.js';

/** What the local GitHub tells the terminal: the CLI decides how each is shown. */
export type LocalNotice =
  /** A bot comment was created or its text changed (`key` is its marker key: `status`, `summary-…`, `reply-…`). */
  | { kind: 'comment'; issue: number; key: string; body: string }
  /** The local stand-in for the draft PR was recorded for `branch`. */
  | { kind: 'pull_request_opened'; number: number; branch: string; title: string }
  /** The branch is ready for review; `reviewers` are the configured ones (nobody is notified locally). */
  | { kind: 'pull_request_ready'; number: number; branch: string; reviewers: string[] }
  /** A stage's check changed state on a commit. */
  | { kind: 'check_run'; name: string; headSha: string; state: CheckState; title: string };

/**
 * A `GitHubPort` on a local git checkout. Branches are local branches, and commits are built with
 * plumbing on a temporary index (`git-objects.ts`), so the user's working tree, index and checked-out
 * branch are never touched. Issues, comments, the PR, labels and check runs have no local
 * counterpart: they are kept in `.git/lakeflow-connector-bot/github.json` and announced through
 * `notify` (nothing is dropped silently). The "default branch" is `base`, the checkout's branch when
 * the first run started, as the record remembers it.
 */
export function createLocalGitGitHub(params: {
  checkout: GitCheckout;
  repo: RepoRef;
  /** Used when the record does not exist yet. */
  base: string;
  notify: (notice: LocalNotice) => void;
}): GitHubPort & { base(): Promise<string>; record(): Promise<LocalRecord> } {
  const { checkout, notify } = params;
  const file = createLocalRecordFile(checkout.stateDir, params.base);
  const base = async () => (await file.read()).base;

  return {
    repo: params.repo,
    base,
    record: file.read,

    async upsertComment({ issue, key, body }) {
      const { id, changed } = await file.update((record) => {
        const found = record.comments.find((c) => c.issue === issue && c.key === key);
        if (found !== undefined) {
          const edited = found.body !== body;
          found.body = body;
          return { changed: edited, result: { id: found.id, changed: edited } };
        }
        const comment = { id: record.nextId, issue, key, body };
        record.nextId += 1;
        record.comments.push(comment);
        return { changed: true, result: { id: comment.id, changed: true } };
      });
      if (changed) notify({ kind: 'comment', issue, key, body });
      return { id, url: `local:issue/${issue}#comment-${id}` };
    },

    async findComment({ issue, key }) {
      const found = (await file.read()).comments.find((c) => c.issue === issue && c.key === key);
      return found === undefined ? null : { id: found.id, body: found.body };
    },

    async listCommentsSince() {
      // Commands come from the terminal and are applied at once: no comment holds one.
      return [];
    },

    async addReaction() {
      // The terminal is the only place a command comes from: there is no comment to react to.
    },

    async minimizeComment() {
      // No one else comments on a local run: there is no comment to hide.
    },

    // `run` has no dashboard issue (its workers get no `dashboard` setting): nothing finds or opens one.
    findOwnIssue: async () => null,
    async createIssue() {
      throw new InvariantError('A local run keeps no issues: the dashboard issue is off in `run`');
    },
    async editIssueBody() {
      throw new InvariantError('A local run keeps no issues: the dashboard issue is off in `run`');
    },

    async deleteComment({ issue, key }) {
      await file.update((record) => {
        const before = record.comments.length;
        record.comments = record.comments.filter((c) => !(c.issue === issue && c.key === key));
        return { changed: record.comments.length !== before, result: undefined };
      });
    },

    getBranchHead: (branch) => resolveCommit(checkout, branch),

    async ensureBranch(branch) {
      return ensureBranchAt(checkout, branch, await base());
    },

    async ensurePullRequest({ branch, title, body }) {
      const { pr, opened } = await file.update((record) => {
        const found = record.pullRequests.find((p) => p.branch === branch);
        if (found !== undefined) {
          const edited = found.body !== body || found.title !== title;
          Object.assign(found, { body, title });
          return { changed: edited, result: { pr: found, opened: false } };
        }
        const created = { number: record.nextId, branch, title, body, draft: true, reviewers: [] };
        record.nextId += 1;
        record.pullRequests.push(created);
        return { changed: true, result: { pr: created, opened: true } };
      });
      if (opened) notify({ kind: 'pull_request_opened', number: pr.number, branch, title });
      return { number: pr.number, url: `local:branch/${branch}` };
    },

    async editPullRequestBody({ number, body }) {
      await file.update((record) => {
        const found = record.pullRequests.find((p) => p.number === number);
        if (found === undefined || found.body === body) return { changed: false, result: undefined };
        found.body = body;
        return { changed: true, result: undefined };
      });
    },

    async markPullRequestReady({ number, reviewers }) {
      const pr = await file.update((record) => {
        const found = record.pullRequests.find((p) => p.number === number);
        if (found === undefined || !found.draft) return { changed: false, result: null };
        found.draft = false;
        found.reviewers = reviewers;
        return { changed: true, result: found };
      });
      if (pr !== null) notify({ kind: 'pull_request_ready', number, branch: pr.branch, reviewers });
    },

    async setLabels({ issue, add, remove }) {
      await file.update((record) => {
        const before = record.labels[String(issue)] ?? [];
        const after = [...new Set([...before, ...add])].filter((label) => !remove.includes(label));
        record.labels[String(issue)] = after;
        return { changed: after.join('\n') !== before.join('\n'), result: undefined };
      });
    },

    async upsertCheckRun(check) {
      const changed = await file.update((record) => {
        const found = record.checkRuns.find((c) => c.name === check.name && c.headSha === check.headSha);
        if (found !== undefined) {
          const edited = found.state !== check.state || found.title !== check.title;
          Object.assign(found, check);
          return { changed: edited, result: edited };
        }
        record.checkRuns.push({ ...check });
        return { changed: true, result: true };
      });
      if (changed) notify({ kind: 'check_run', ...pickCheck(check) });
    },

    // The person at the terminal owns the checkout.
    getPermission: async () => 'admin',

    async pathExists(path) {
      return (await readBlob(checkout, await base(), path)) !== null;
    },

    async readFile({ path, ref }) {
      return readBlob(checkout, ref ?? (await base()), path);
    },

    commitFiles: async (commit) => ({ sha: await commitOnBranch(checkout, commit) }),

    readTree: ({ sha }) => readTreeAt(checkout, sha),

    findCommitByTrailer: (search) => findTrailerCommit(checkout, search),

    async getPullRequest(number) {
      const found = (await file.read()).pullRequests.find((p) => p.number === number);
      return found === undefined
        ? null
        : { number, headBranch: found.branch, body: found.body, draft: found.draft };
    },
  };
}

function pickCheck(check: { name: string; headSha: string; state: CheckState; title: string }) {
  return { name: check.name, headSha: check.headSha, state: check.state, title: check.title };
}
