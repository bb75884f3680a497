import { StateConflictError } from '../../errors.js';
import { getBranchHead } from './branches.js';
import type { RepoClient } from './repo-client.js';
import { GitCommit, GitObject } from './schema.js';

/** A file to write (`content`) or delete (`content: null`) in a commit. */
export interface FileChange {
  path: string;
  content: string | null;
}

/**
 * One commit on `branch` through the git data API: a blob per written file, a tree on top of the
 * parent's, the commit, then a fast-forward-only ref update (`force: false`). Compare-and-set on
 * the parent: a head other than `expectedHeadSha`, before (nothing written) or at the ref update
 * (422, someone pushed meanwhile), throws `StateConflictError`. Blobs go one at a time, as GitHub
 * asks of content-creating requests. No changes: no commit, the head is returned.
 */
export async function commitFiles(
  client: RepoClient,
  params: { branch: string; expectedHeadSha: string; message: string; changes: readonly FileChange[] },
): Promise<{ sha: string }> {
  const { owner, repo } = client;
  const { branch, expectedHeadSha } = params;
  const head = await getBranchHead(client, branch);
  if (head !== expectedHeadSha) {
    throw new StateConflictError(
      `Branch ${branch} is at ${head ?? 'nothing'}, not the expected ${expectedHeadSha}: reload and retry`,
    );
  }
  if (params.changes.length === 0) return { sha: expectedHeadSha };
  const parent = await client.get(GitCommit, (octokit) =>
    octokit.rest.git.getCommit({ owner, repo, commit_sha: expectedHeadSha }),
  );
  const tree: Array<{ path: string; mode: '100644'; type: 'blob'; sha: string | null }> = [];
  for (const change of params.changes) {
    tree.push({ path: change.path, mode: '100644', type: 'blob', sha: await createBlob(client, change) });
  }
  const newTree = await client.get(GitObject, (octokit) =>
    octokit.rest.git.createTree({ owner, repo, base_tree: parent.tree.sha, tree }),
  );
  const commit = await client.get(GitObject, (octokit) =>
    octokit.rest.git.createCommit({
      owner,
      repo,
      message: params.message,
      tree: newTree.sha,
      parents: [expectedHeadSha],
    }),
  );
  await client.call(
    (octokit) =>
      octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commit.sha, force: false }),
    {
      422: (error) => {
        throw new StateConflictError(
          `Branch ${branch} moved while committing ${commit.sha}: reload and retry`,
          {
            cause: error,
          },
        );
      },
    },
  );
  return { sha: commit.sha };
}

/** The blob sha for a written file; `null` (delete the path) for a deletion. */
async function createBlob(client: RepoClient, change: FileChange): Promise<string | null> {
  const { content } = change;
  if (content === null) return null;
  const blob = await client.get(GitObject, (octokit) =>
    octokit.rest.git.createBlob({ owner: client.owner, repo: client.repo, content, encoding: 'utf-8' }),
  );
  return blob.sha;
}
