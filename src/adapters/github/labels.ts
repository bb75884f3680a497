import type { RepoClient } from './repo-client.js';
import { Label } from './schema.js';

/** Colour of labels the bot creates (GitHub's default grey). */
const DEFAULT_LABEL_COLOR = 'ededed';

/** Creates label `name` in the repository unless it exists; losing a creation race (422) is fine. */
async function ensureLabelExists(client: RepoClient, name: string): Promise<void> {
  const { owner, repo } = client;
  const found = await client.getOrNull(Label, (octokit) =>
    octokit.rest.issues.getLabel({ owner, repo, name }),
  );
  if (found !== null) return;
  await client.call(
    (octokit) => octokit.rest.issues.createLabel({ owner, repo, name, color: DEFAULT_LABEL_COLOR }),
    { 422: () => undefined },
  );
}

/**
 * Adds `add` (creating missing labels first, in one request to the issue) and removes `remove`
 * from an issue or PR. Adding a label it has, or removing one it lacks (404), is a no-op.
 */
export async function setLabels(
  client: RepoClient,
  params: { issue: number; add: readonly string[]; remove: readonly string[] },
): Promise<void> {
  const { owner, repo } = client;
  const add = [...new Set(params.add)];
  for (const name of add) await ensureLabelExists(client, name);
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
