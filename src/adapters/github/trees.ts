import { InvariantError } from '../../errors.js';
import { parseData, type RepoClient } from './repo-client.js';
import { CommitList } from './schema.js';

const DEFAULT_TRAILER_LIMIT = 50;

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
