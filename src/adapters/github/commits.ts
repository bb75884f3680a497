import { z } from 'zod';
import { StateConflictError } from '../../errors.js';
import { getBranchHead } from './branches.js';
import { createCommitOnBranchInput, type FileChange } from './commit-input.js';
import { createOnce, NO_PLUGIN_RETRY } from './create-once.js';
import { graphqlErrorsOf } from './github-errors.js';
import { parseData, type RepoClient } from './repo-client.js';
import { GitCommit } from './schema.js';

const CREATE_COMMIT = `mutation CreateCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid } }
}`;

/** The answer of `CREATE_COMMIT`: the new commit's sha. */
const CreatedCommit = z.object({
  createCommitOnBranch: z.object({ commit: z.object({ oid: z.string().regex(/^[0-9a-f]{40,64}$/) }) }),
});

/**
 * One commit on `branch` in one request: GraphQL `createCommitOnBranch`, with `expectedHeadSha` as
 * its `expectedHeadOid` (GitHub makes the blobs, the tree and the commit and moves the branch only
 * if it is still there). A head other than `expectedHeadSha` (GitHub's `STALE_DATA` error) throws
 * `StateConflictError`; any other failure goes through `toBotError`. No changes: no request, the head
 * is returned.
 *
 * Never sent twice blindly (`NO_PLUGIN_RETRY`): when it fails in a way GitHub may have applied (a 5xx,
 * no answer), the branch is read, and a head whose parent is `expectedHeadSha` and whose message is
 * this one is the commit, returned as made. Anything else rethrows the failure; a retry then meets
 * `STALE_DATA` if the commit had landed after all, and the caller's trailer look-up finds it.
 */
export async function commitFiles(
  client: RepoClient,
  params: { branch: string; expectedHeadSha: string; message: string; changes: readonly FileChange[] },
): Promise<{ sha: string }> {
  if (params.changes.length === 0) return { sha: params.expectedHeadSha };
  const input = createCommitOnBranchInput({ owner: client.owner, repo: client.repo, ...params });
  const sha = await createOnce(
    async () => {
      const data = await client
        .call((octokit) => octokit.graphql(CREATE_COMMIT, { input, ...NO_PLUGIN_RETRY }))
        .catch((error: unknown) => {
          if (!movedHead(error)) throw error;
          throw new StateConflictError(
            `Branch ${params.branch} is no longer at the expected ${params.expectedHeadSha}: reload and retry`,
            { cause: error },
          );
        });
      return parseData(CreatedCommit, data).createCommitOnBranch.commit.oid;
    },
    () => findAppliedCommit(client, params),
  );
  return { sha };
}

/** GitHub's answer when the branch head is not `expectedHeadOid`: `STALE_DATA`, "Expected branch to point to …". */
function movedHead(error: unknown): boolean {
  return (graphqlErrorsOf(error) ?? []).some(
    (item) => item.type === 'STALE_DATA' && /expected branch to point to/i.test(item.message),
  );
}

/** The branch head when it is this very commit (parent `expectedHeadSha`, same message), else `null`. */
async function findAppliedCommit(
  client: RepoClient,
  params: { branch: string; expectedHeadSha: string; message: string },
): Promise<string | null> {
  const head = await getBranchHead(client, params.branch);
  if (head === null || head === params.expectedHeadSha) return null;
  const commit = await client.get(GitCommit, (octokit) =>
    octokit.rest.git.getCommit({ owner: client.owner, repo: client.repo, commit_sha: head }),
  );
  const parents = commit.parents.map((parent) => parent.sha);
  const ours = parents.length === 1 && parents[0] === params.expectedHeadSha;
  return ours && commit.message.trimEnd() === params.message.trimEnd() ? head : null;
}
