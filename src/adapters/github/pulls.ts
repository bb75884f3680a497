import { getDefaultBranch } from './branches.js';
import { toBotError } from './github-errors.js';
import { setLabels } from './labels.js';
import { parseData, type RepoClient } from './repo-client.js';
import { CreatedPullRequest, PullRequest, PullRequests } from './schema.js';

const MARK_READY = `mutation MarkReady($id: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } }
}`;

/** The open PR from `branch` of this repository, if any. */
async function findOpenPullRequest(client: RepoClient, branch: string): Promise<PullRequest | null> {
  const { owner, repo } = client;
  const pulls = await client.get(PullRequests, (octokit) =>
    octokit.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: 'open' }),
  );
  return pulls[0] ?? null;
}

/**
 * The open PR from `branch`: found (its body edited only when it differs) or opened as a draft
 * against the default branch, with `labels` added. Losing a creation race (422) finds the winner.
 * With `held` (the PR the run already has) and no open PR, nothing is opened and `held` returned.
 */
export async function ensurePullRequest(
  client: RepoClient,
  params: { branch: string; title: string; body: string; labels: readonly string[]; held?: number },
): Promise<{ number: number; url: string }> {
  const { owner, repo } = client;
  const found = await findOpenPullRequest(client, params.branch);
  // The run's PR was closed (its webhook may not be applied yet): never open a replacement.
  if (found === null && params.held !== undefined) return { number: params.held, url: '' };
  if (found !== null) {
    if ((found.body ?? '') !== params.body) {
      await client.call((octokit) =>
        octokit.rest.pulls.update({ owner, repo, pull_number: found.number, body: params.body }),
      );
    }
    return { number: found.number, url: found.html_url };
  }
  const base = await getDefaultBranch(client);
  const created = await client.call(
    async (octokit) => {
      const response = await octokit.rest.pulls.create({
        owner,
        repo,
        title: params.title,
        head: params.branch,
        base,
        body: params.body,
        draft: true,
      });
      return parseData(CreatedPullRequest, response.data);
    },
    {
      422: async (error) => {
        const winner = await findOpenPullRequest(client, params.branch);
        if (winner === null) throw toBotError(error);
        return winner;
      },
    },
  );
  await setLabels(client, { issue: created.number, add: params.labels, remove: [] });
  return { number: created.number, url: created.html_url };
}

/** Sets the body of PR `number`, with one request. */
export async function editPullRequestBody(client: RepoClient, params: { number: number; body: string }) {
  const { owner, repo } = client;
  await client.call((octokit) =>
    octokit.rest.pulls.update({ owner, repo, pull_number: params.number, body: params.body }),
  );
}

/** The PR's head branch, body and draft flag, or null when there is no such PR. */
export async function getPullRequest(
  client: RepoClient,
  number: number,
): Promise<{ number: number; headBranch: string; body: string; draft: boolean } | null> {
  const pull = await client.getOrNull(PullRequest, (octokit) =>
    octokit.rest.pulls.get({ owner: client.owner, repo: client.repo, pull_number: number }),
  );
  if (pull === null) return null;
  return {
    number: pull.number,
    headBranch: pull.head.ref,
    body: pull.body ?? '',
    draft: pull.draft ?? false,
  };
}

/**
 * Marks a draft PR ready for review (GraphQL: REST cannot) and requests `reviewers`. A PR that is
 * not a draft gets no mutation; requesting a reviewer twice is a no-op on GitHub's side.
 */
export async function markPullRequestReady(
  client: RepoClient,
  params: { number: number; reviewers: readonly string[] },
): Promise<void> {
  const { owner, repo } = client;
  const pull = await client.get(PullRequest, (octokit) =>
    octokit.rest.pulls.get({ owner, repo, pull_number: params.number }),
  );
  if (pull.draft === true) {
    await client.call((octokit) => octokit.graphql(MARK_READY, { id: pull.node_id }));
  }
  if (params.reviewers.length > 0) {
    await client.call((octokit) =>
      octokit.rest.pulls.requestReviewers({
        owner,
        repo,
        pull_number: params.number,
        reviewers: [...params.reviewers],
      }),
    );
  }
}
