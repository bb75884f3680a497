import type { RepoClient } from './repo-client.js';

/**
 * Adds `add` in one request (GitHub creates a label the repository lacks, so none is looked up
 * first: GitHub paces writes and every call costs) and removes `remove` from an issue or PR.
 * Adding a label it has, or removing one it lacks (404), is a no-op.
 */
export async function setLabels(
  client: RepoClient,
  params: { issue: number; add: readonly string[]; remove: readonly string[] },
): Promise<void> {
  const { owner, repo } = client;
  const add = [...new Set(params.add)];
  if (add.length > 0) {
    await client.call((octokit) =>
      octokit.rest.issues.addLabels({ owner, repo, issue_number: params.issue, labels: add }),
    );
  }
  for (const name of new Set(params.remove)) {
    await client.call(
      (octokit) => octokit.rest.issues.removeLabel({ owner, repo, issue_number: params.issue, name }),
      { 404: () => undefined },
    );
  }
}
