import { InvariantError, StateConflictError } from '../errors.js';
import type { GitHubPort } from '../ports/github.js';

/** One change of the workspace against its snapshot; `content` is `null` for a deletion. */
export interface WorkspaceChange {
  path: string;
  status: 'added' | 'modified' | 'deleted';
  content: string | null;
}

/** What `commit` did: one new commit, or nothing because there was nothing (more) to do. */
export type CommitResult =
  | { sha: string; committed: true }
  | {
      sha: string;
      committed: false;
      /** `no_changes`: `sha` is the base; `already_committed`: a commit of this job is on the branch. */
      reason: 'no_changes' | 'already_committed';
    };

/** The trailer line that marks a job's commit (docs/architecture.md, Every write is idempotent). */
export function jobTrailer(jobId: string): string {
  if (jobId === '' || /[\r\n]/.test(jobId))
    throw new InvariantError(`Invalid job id for a trailer: "${jobId}"`);
  return `Lakeflow-Job: ${jobId}`;
}

/**
 * Commits `changes` once per job: one compare-and-set commit on `baseSha`. The caller has looked for
 * the job's commit (by its trailer) after reading `baseSha`, so a commit of this job made before is
 * already known; one made since has moved the branch. When the branch has moved, the commit with
 * the job's trailer is returned if it is there (a retried job's twin); else, if none of the changed
 * paths differ between `baseSha` and the new head, the commit is retried once on top of it. Else (or
 * if it moves again) `StateConflictError` naming the files someone else changed. Never forces.
 */
export async function commitChanges(
  github: GitHubPort,
  params: {
    branch: string;
    baseSha: string;
    message: string;
    jobId: string;
    changes: () => Promise<WorkspaceChange[]>;
  },
): Promise<CommitResult> {
  const { branch, baseSha } = params;
  const trailer = jobTrailer(params.jobId);
  const message = `${params.message.trimEnd()}\n\n${trailer}`;
  const changes = (await params.changes()).map(({ path, content }) => ({ path, content }));
  if (changes.length === 0) return { sha: baseSha, committed: false, reason: 'no_changes' };
  try {
    const { sha } = await github.commitFiles({ branch, expectedHeadSha: baseSha, message, changes });
    return { sha, committed: true };
  } catch (error) {
    if (!(error instanceof StateConflictError)) throw error;
  }
  const head = await github.getBranchHead(branch);
  if (head === null)
    throw new StateConflictError(`Branch ${branch} was deleted while the agent worked on it`);
  const raced = await github.findCommitByTrailer({ branch, trailer });
  if (raced !== null) return { sha: raced, committed: false, reason: 'already_committed' };
  const touched = await changedBetween(github, {
    paths: changes.map((c) => c.path),
    from: baseSha,
    to: head,
  });
  if (touched.length > 0) {
    throw new StateConflictError(
      `Someone else changed ${touched.join(', ')} on ${branch} (now at ${head}) after ${baseSha}: not committing over it`,
    );
  }
  const { sha } = await github.commitFiles({ branch, expectedHeadSha: head, message, changes });
  return { sha, committed: true };
}

/**
 * The `paths` whose content, mode or existence differs between commits `from` and `to`: both trees
 * read whole (`readTree`; `from` is the workspace's base, which its snapshot has already read).
 */
async function changedBetween(
  github: GitHubPort,
  params: { paths: string[]; from: string; to: string },
): Promise<string[]> {
  const [before, after] = await Promise.all([
    github.readTree({ sha: params.from }),
    github.readTree({ sha: params.to }),
  ]);
  return params.paths.filter((path) => {
    const was = before.get(path);
    const is = after.get(path);
    return was?.blobSha !== is?.blobSha || was?.mode !== is?.mode;
  });
}
