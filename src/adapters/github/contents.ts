import type { RepoClient } from './repo-client.js';
import { Contents, GitBlob } from './schema.js';

function decodeBase64(content: string): string {
  return Buffer.from(content, 'base64').toString('utf8');
}

/** True when `path` (a file or a directory) exists on the default branch. */
export async function pathExists(client: RepoClient, path: string): Promise<boolean> {
  const found = await client.getOrNull(Contents, (octokit) =>
    octokit.rest.repos.getContent({ owner: client.owner, repo: client.repo, path }),
  );
  return found !== null;
}

/**
 * Text of the file at `path` on `ref` (the default branch when omitted); null when it does not
 * exist or is not a file (a directory, symlink or submodule). Files over 1 MB come back from the
 * contents API without content (`encoding: none`); they are read through their git blob instead.
 */
export async function readFile(
  client: RepoClient,
  params: { path: string; ref?: string },
): Promise<string | null> {
  const { owner, repo } = client;
  const found = await client.getOrNull(Contents, (octokit) =>
    octokit.rest.repos.getContent({ owner, repo, path: params.path, ref: params.ref }),
  );
  if (found === null || Array.isArray(found) || found.type !== 'file') return null;
  if (found.encoding === 'base64' && found.content !== undefined) return decodeBase64(found.content);
  const blob = await client.get(GitBlob, (octokit) =>
    octokit.rest.git.getBlob({ owner, repo, file_sha: found.sha }),
  );
  return blob.encoding === 'base64' ? decodeBase64(blob.content) : blob.content;
}
