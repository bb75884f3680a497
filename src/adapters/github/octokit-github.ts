import { type Clock, systemClock } from '../../ports/clock.js';
import type { GitHubPort } from '../../ports/github.js';
import { ensureBranch, getBranchHead } from './branches.js';
import { upsertCheckRun } from './checks.js';
import {
  addReaction,
  deleteComment,
  findComment,
  listCommentsSince,
  minimizeComment,
  upsertComment,
} from './comments.js';
import { commitFiles } from './commits.js';
import { pathExists, readFile } from './contents.js';
import { createIssue, editIssueBody, findOwnIssue } from './issues.js';
import { createKeyedSerializer, type KeyedSerializer } from './keyed-serializer.js';
import { createKnownIds, type KnownIds } from './known-ids.js';
import { setLabels } from './labels.js';
import { getPermission } from './permissions.js';
import { editPullRequestBody, ensurePullRequest, getPullRequest, markPullRequestReady } from './pulls.js';
import { createRepoClient, type GitHubClient } from './repo-client.js';
import { readTree } from './tarball.js';
import { createTreeCache, type TreeCache } from './tree-cache.js';
import { findCommitByTrailer } from './trees.js';

/** What the GitHub port of one repository needs. */
export interface OctokitGitHubParams {
  repo: { installationId: number; owner: string; repo: string };
  /**
   * An Octokit authenticated as the installation, e.g. `() => probot.auth(installationId)`. Called
   * once, on first use. Keep Probot's retry and throttling plugins on in production.
   */
  getOctokit: () => Promise<GitHubClient>;
  /** The app's bot login (`<app-slug>[bot]`): only its comments are the bot's own. */
  botLogin: string;
  /** Time source for `completed_at` of check runs. */
  clock?: Clock;
  /**
   * Writes that create what they do not find (a check run of one name on one commit, a marked
   * comment on one issue, the PR of one branch) go through it one at a time per target, so two jobs
   * of a run in this process (as after a Redis loss took the run's lock) never both create it. Pass
   * one per process; the default is one per adapter.
   */
  serializer?: KeyedSerializer;
  /**
   * The ids of the marked comments and check runs found or created, so an edit needs no lookup.
   * Pass one per process; the default is one per adapter.
   */
  knownIds?: KnownIds;
  /**
   * Trees read by `readTree`, by installation, repository and sha: pass one per process, so a
   * commit's tree is downloaded once whatever job reads it; the default is one per adapter.
   */
  trees?: TreeCache;
}

/**
 * `GitHubPort` over Octokit (REST, plus GraphQL for commits, "ready for review" and hiding comments), one file per resource.
 * Every response field read is parsed with a narrow zod schema; failures become `BotError`s
 * (see `toBotError`), and a 404 is `null` where the port says so.
 */
export function createOctokitGitHub(params: OctokitGitHubParams): GitHubPort {
  const client = createRepoClient({
    owner: params.repo.owner,
    repo: params.repo.repo,
    botLogin: params.botLogin,
    getOctokit: params.getOctokit,
  });
  const clock = params.clock ?? systemClock;
  const serializer = params.serializer ?? createKeyedSerializer();
  const known = params.knownIds ?? createKnownIds();
  const trees = params.trees ?? createTreeCache();
  const repoKey = `${params.repo.owner}/${params.repo.repo}`;
  const checkKey = (check: { name: string; headSha: string }) => `${repoKey}@${check.headSha}:${check.name}`;
  return {
    repo: params.repo,
    upsertComment: (comment) =>
      serializer.run(`${repoKey}#${comment.issue}:${comment.key}`, () =>
        upsertComment(client, comment, known),
      ),
    findComment: (comment) => findComment(client, comment),
    listCommentsSince: (params) => listCommentsSince(client, params),
    addReaction: (reaction) => addReaction(client, reaction),
    deleteComment: (comment) => deleteComment(client, comment, known),
    findOwnIssue: (key) => findOwnIssue(client, key),
    createIssue: (issue) => createIssue(client, issue),
    editIssueBody: (issue) => editIssueBody(client, issue),
    minimizeComment: (nodeId) => minimizeComment(client, nodeId),
    getBranchHead: (branch) => getBranchHead(client, branch),
    ensureBranch: (branch) => ensureBranch(client, branch),
    ensurePullRequest: (pull) =>
      serializer.run(`${repoKey}:pull:${pull.branch}`, () => ensurePullRequest(client, pull)),
    editPullRequestBody: (pull) => editPullRequestBody(client, pull),
    markPullRequestReady: (pull) => markPullRequestReady(client, pull),
    getPullRequest: (number) => getPullRequest(client, number),
    setLabels: (labels) => setLabels(client, labels),
    upsertCheckRun: (check) =>
      serializer.run(checkKey(check), () => upsertCheckRun(client, { ...check, now: clock.now() }, known)),
    getPermission: (login) => getPermission(client, login),
    pathExists: (path) => pathExists(client, path),
    readFile: (file) => readFile(client, file),
    commitFiles: (commit) => commitFiles(client, commit),
    readTree: ({ sha }) =>
      trees.get(`${params.repo.installationId}/${repoKey}@${sha}`, () => readTree(client, sha)),
    findCommitByTrailer: (search) => findCommitByTrailer(client, search),
  };
}
