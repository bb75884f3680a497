import { InvariantError } from '../../errors.js';
import { toBotError } from './github-errors.js';
import type { RepoClient } from './repo-client.js';
import { GitRef, Repository } from './schema.js';

/** The repository's default branch (GET /repos/{owner}/{repo}). */
export async function getDefaultBranch(client: RepoClient): Promise<string> {
  const repository = await client.get(Repository, (octokit) =>
    octokit.rest.repos.get({ owner: client.owner, repo: client.repo }),
  );
  return repository.default_branch;
}

/** Head sha of `branch`, or null when it does not exist (the singular `git/ref` matches exactly). */
export async function getBranchHead(client: RepoClient, branch: string): Promise<string | null> {
  const ref = await client.getOrNull(GitRef, (octokit) =>
    octokit.rest.git.getRef({ owner: client.owner, repo: client.repo, ref: `heads/${branch}` }),
  );
  return ref === null ? null : ref.object.sha;
}

/**
 * Head of `branch`, creating it from the default branch head when missing. Losing a creation race
 * (422 "Reference already exists") is fine: the branch is read again and its head returned.
 */
export async function ensureBranch(client: RepoClient, branch: string): Promise<string> {
  const head = await getBranchHead(client, branch);
  if (head !== null) return head;
  const base = await getDefaultBranch(client);
  const baseHead = await getBranchHead(client, base);
  if (baseHead === null) {
    throw new InvariantError(
      `Cannot create ${branch}: the default branch ${base} of ${client.owner}/${client.repo} has no commits`,
    );
  }
  const raced = await client.call(
    async (octokit) => {
      const ref = `refs/heads/${branch}`;
      await octokit.rest.git.createRef({ owner: client.owner, repo: client.repo, ref, sha: baseHead });
      return null;
    },
    {
      422: async (error) => {
        const winner = await getBranchHead(client, branch);
        if (winner === null) throw toBotError(error);
        return winner;
      },
    },
  );
  return raced ?? baseHead;
}
