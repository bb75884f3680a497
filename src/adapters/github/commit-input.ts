import { InvariantError } from '../../errors.js';

/** A file to write (`content`) or delete (`content: null`) in a commit. */
export interface FileChange {
  path: string;
  content: string | null;
}

/** GitHub's `CreateCommitOnBranchInput`, as the adapter fills it. */
export interface CreateCommitOnBranchInput {
  branch: { repositoryNameWithOwner: string; branchName: string };
  expectedHeadOid: string;
  message: { headline: string; body?: string };
  fileChanges: { additions: Array<{ path: string; contents: string }>; deletions: Array<{ path: string }> };
}

/**
 * The input of one `createCommitOnBranch`: the branch by repository and name, `expectedHeadSha` as
 * the compare-and-set, written files as base64 and deletions by path. GitHub joins `headline` and
 * `body` with a blank line, so a message whose first line is followed by a blank line (every
 * message the bot writes: a subject, then the `Lakeflow-Job:` trailer) is committed as it is.
 */
export function createCommitOnBranchInput(params: {
  owner: string;
  repo: string;
  branch: string;
  expectedHeadSha: string;
  message: string;
  changes: readonly FileChange[];
}): CreateCommitOnBranchInput {
  const additions: Array<{ path: string; contents: string }> = [];
  const deletions: Array<{ path: string }> = [];
  for (const { path, content } of params.changes) {
    if (content === null) deletions.push({ path });
    else additions.push({ path, contents: Buffer.from(content, 'utf8').toString('base64') });
  }
  return {
    branch: { repositoryNameWithOwner: `${params.owner}/${params.repo}`, branchName: params.branch },
    expectedHeadOid: params.expectedHeadSha,
    message: splitMessage(params.message),
    fileChanges: { additions, deletions },
  };
}

/** The first line as the headline; the rest, less the blank line after the headline, as the body. */
export function splitMessage(message: string): { headline: string; body?: string } {
  const newline = message.indexOf('\n');
  const headline = newline === -1 ? message : message.slice(0, newline);
  if (headline.trim() === '') throw new InvariantError('A commit message needs a first line (its headline)');
  const body = newline === -1 ? '' : message.slice(newline + 1).replace(/^\n/, '');
  return body === '' ? { headline } : { headline, body };
}
