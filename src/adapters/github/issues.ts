import { hasMarker } from '../../domain/render/markers.js';
import type { OwnIssue } from '../../ports/github.js';
import { createOnce, NO_PLUGIN_RETRY } from './create-once.js';
import { parseData, type RepoClient } from './repo-client.js';
import { CreatedIssue, RepoIssues } from './schema.js';

/**
 * The oldest issue the bot opened whose body starts with the marker of `key`. GitHub is asked for
 * the bot's issues only (`creator`), open and closed, oldest first, 100 a page; the author and the
 * marker are checked again here, and pull requests (which the endpoint lists too) are skipped.
 */
export async function findOwnIssue(client: RepoClient, key: string): Promise<OwnIssue | null> {
  const bot = client.botLogin.toLowerCase();
  return client.call(async (octokit) => {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
      owner: client.owner,
      repo: client.repo,
      creator: client.botLogin,
      state: 'all',
      sort: 'created',
      direction: 'asc',
      per_page: 100,
    });
    for await (const page of pages) {
      const found = parseData(RepoIssues, page.data).find(
        (issue) =>
          issue.pull_request === undefined &&
          issue.user?.login.toLowerCase() === bot &&
          hasMarker(issue.body ?? '', key),
      );
      if (found) {
        return {
          number: found.number,
          body: found.body ?? '',
          open: found.state === 'open',
          url: found.html_url,
        };
      }
    }
    return null;
  });
}

/** Opens an issue once: a create that may have been applied despite its error is found by `key` instead. */
export async function createIssue(
  client: RepoClient,
  params: { key: string; title: string; body: string },
): Promise<{ number: number; url: string }> {
  const { owner, repo } = client;
  return createOnce(
    async () => {
      const created = await client.get(CreatedIssue, (octokit) =>
        octokit.rest.issues.create({
          owner,
          repo,
          title: params.title,
          body: params.body,
          ...NO_PLUGIN_RETRY,
        }),
      );
      return { number: created.number, url: created.html_url };
    },
    async () => {
      const found = await findOwnIssue(client, params.key);
      return found === null ? null : { number: found.number, url: found.url };
    },
  );
}

/** Replaces an issue's body. */
export async function editIssueBody(
  client: RepoClient,
  params: { number: number; body: string },
): Promise<void> {
  await client.call((octokit) =>
    octokit.rest.issues.update({
      owner: client.owner,
      repo: client.repo,
      issue_number: params.number,
      body: params.body,
    }),
  );
}
