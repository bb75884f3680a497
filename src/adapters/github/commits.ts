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
 * One commit on `branch` through the git data API: a tree on top of the parent's that carries the
 * written files' text itself (GitHub makes their blobs, so no request per file: writes are paced a
 * second apart), the commit, then a fast-forward-only ref update (`force: false`). Compare-and-set
 * on the parent: a head other than `expectedHeadSha`, before (nothing written) or at the ref update
 * (422, someone pushed meanwhile), throws `StateConflictError`. No changes: no commit, the head is
 * returned.
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
  const tree = params.changes.map((change) =>
    change.content === null
      ? { path: change.path, mode: '100644' as const, type: 'blob' as const, sha: null }
      : { path: change.path, mode: '100644' as const, type: 'blob' as const, content: change.content },
  );
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
