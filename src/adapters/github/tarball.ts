import { InvariantError } from '../../errors.js';
import type { FileTree } from '../../ports/github.js';
import { readTreeArchive } from '../archive/read-tree-archive.js';
import type { RepoClient } from './repo-client.js';

const COMMIT_SHA = /^[0-9a-f]{40}$/;

/**
 * Every file at commit `sha` from one request: `GET /repos/{owner}/{repo}/tarball/{sha}`, which
 * GitHub answers with a redirect to its archive host (followed by fetch) and a gzipped tar under
 * one `owner-repo-shortsha/` folder. Needs only `contents: read`. A branch name is refused: the
 * answer is kept by sha (`TreeCache`), and only a commit never changes.
 */
export async function readTree(client: RepoClient, sha: string): Promise<FileTree> {
  const { owner, repo } = client;
  if (!COMMIT_SHA.test(sha)) throw new InvariantError(`readTree takes a commit sha, not "${sha}"`);
  const response = await client.call((octokit) =>
    octokit.rest.repos.downloadTarballArchive({ owner, repo, ref: sha }),
  );
  return readTreeArchive(toBytes(response.data, `${owner}/${repo}`), `${owner}/${repo}@${sha.slice(0, 12)}`);
}

function toBytes(data: unknown, repo: string): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new InvariantError(`The tarball of ${repo} came back without binary data`);
}
