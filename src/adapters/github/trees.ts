import { ExternalServiceError, InvariantError } from '../../errors.js';
import type { TreeFile } from '../../ports/github.js';
import { getBranchHead } from './branches.js';
import { parseData, type RepoClient } from './repo-client.js';
import { CommitList, GitCommit, GitTree } from './schema.js';

const COMMIT_SHA = /^[0-9a-f]{40}$/;
const DEFAULT_TRAILER_LIMIT = 50;

/**
 * Every file of the tree at `ref`: a branch name is resolved to its head commit, the commit to its
 * tree, and the tree listed recursively in one request. Only blobs are returned (folders and
 * submodules are not files). GitHub truncates very large trees; that throws rather than returning
 * part of the repository as if it were all of it.
 */
export async function listFiles(client: RepoClient, params: { ref: string }): Promise<TreeFile[]> {
  const { owner, repo } = client;
  const commitSha = COMMIT_SHA.test(params.ref) ? params.ref : await getBranchHead(client, params.ref);
  if (commitSha === null) {
    throw new InvariantError(`Cannot list the files of ${params.ref}: no such branch in ${owner}/${repo}`);
  }
  const commit = await client.get(GitCommit, (octokit) =>
    octokit.rest.git.getCommit({ owner, repo, commit_sha: commitSha }),
  );
  const tree = await client.get(GitTree, (octokit) =>
    octokit.rest.git.getTree({ owner, repo, tree_sha: commit.tree.sha, recursive: '1' }),
  );
  if (tree.truncated) {
    throw new ExternalServiceError(
      `The file tree of ${owner}/${repo} at ${params.ref} is too large: GitHub truncated the listing`,
    );
  }
  return tree.tree.flatMap((entry) =>
    entry.type === 'blob'
      ? [{ path: entry.path, mode: entry.mode, type: 'blob', size: entry.size ?? 0 }]
      : [],
  );
}

/**
 * The newest of the last `limit` (default 50, at most 100) commits on `branch` whose message has
 * the line `trailer` exactly (trailing whitespace aside), or null. One page of the commits listing;
 * a missing branch (404) or an empty repository (409) has none.
 */
export async function findCommitByTrailer(
  client: RepoClient,
  params: { branch: string; trailer: string; limit?: number },
): Promise<string | null> {
  if (/[\r\n]/.test(params.trailer)) throw new InvariantError('A commit trailer is a single line');
  const perPage = Math.min(100, Math.max(1, params.limit ?? DEFAULT_TRAILER_LIMIT));
  const response = await client.call(
    (octokit) =>
      octokit.rest.repos.listCommits({
        owner: client.owner,
        repo: client.repo,
        sha: params.branch,
        per_page: perPage,
      }),
    { 404: () => null, 409: () => null },
  );
  if (response === null) return null;
  const found = parseData(CommitList, response.data).find((commit) =>
    commit.commit.message.split('\n').some((line) => line.trimEnd() === params.trailer),
  );
  return found?.sha ?? null;
}
