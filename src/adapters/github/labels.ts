import type { RepoClient } from './repo-client.js';
import { IssueLabels } from './schema.js';

/**
 * Adds `add` in one request (GitHub creates a label the repository lacks, so none is looked up
 * first) and removes those of `remove` the issue or PR carries: its labels are read first, since a
 * read costs far less than a removal (GitHub paces writes a second apart) and most removals find
 * nothing to remove. Adding a label it has, or removing one it lost meanwhile (404), is a no-op.
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
  const remove = await carried(client, params.issue, params.remove);
  for (const name of remove) {
    await client.call(
      (octokit) => octokit.rest.issues.removeLabel({ owner, repo, issue_number: params.issue, name }),
      { 404: () => undefined },
    );
  }
}

/** The names of `names` that issue `issue` carries now (case-insensitive, as GitHub compares them). */
async function carried(client: RepoClient, issue: number, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const { owner, repo } = client;
  const { labels } = await client.get(IssueLabels, (octokit) =>
    octokit.rest.issues.get({ owner, repo, issue_number: issue }),
  );
  const present = new Set(
    labels.map((label) => (typeof label === 'string' ? label : (label.name ?? '')).toLowerCase()),
  );
  return [...new Set(names)].filter((name) => present.has(name.toLowerCase()));
}
