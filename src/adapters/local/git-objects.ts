import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InvariantError, StateConflictError } from '../../errors.js';
import type { FileTree } from '../../ports/github.js';
import { readTreeArchive } from '../archive/read-tree-archive.js';
import { runGit, runGitText, tryGitText } from './run-git.js';

/** A local checkout: its root, and the folder under `.git` where the bot keeps its files. */
export interface GitCheckout {
  dir: string;
  /** `<git dir>/lakeflow-connector-bot`, from `git rev-parse --git-dir`. */
  stateDir: string;
}

/** The identity of the bot's commits (author and committer). */
export const BOT_IDENTITY = { name: 'lakeflow-connector-bot', email: 'lakeflow-connector-bot@localhost' };

const SHA = /^[0-9a-f]{40}$/;
const ZERO_SHA = '0'.repeat(40);

/** A full commit sha, `HEAD` and `refs/…` stay as they are; anything else names a local branch (`refs/heads/<name>`). */
export function toRevision(ref: string): string {
  if (SHA.test(ref)) return ref;
  if (ref === 'HEAD' || ref.startsWith('refs/')) return ref;
  return `refs/heads/${ref}`;
}

/** Opens the checkout at `dir`: fails with a clear message when it is not a git work tree. */
export async function openCheckout(dir: string): Promise<GitCheckout> {
  let root: string;
  try {
    root = await runGitText(dir, ['rev-parse', '--show-toplevel']);
  } catch (error) {
    throw new InvariantError(`${dir} is not a git checkout (git rev-parse --show-toplevel failed)`, {
      cause: error,
    });
  }
  const gitDir = await runGitText(root, ['rev-parse', '--absolute-git-dir']);
  return { dir: root, stateDir: join(gitDir, 'lakeflow-connector-bot') };
}

/** The commit `ref` (branch name or sha) points at, or `null` when it does not exist. */
export async function resolveCommit(checkout: GitCheckout, ref: string): Promise<string | null> {
  return tryGitText(checkout.dir, ['rev-parse', '--verify', '--quiet', `${toRevision(ref)}^{commit}`]);
}

/** Creates `branch` at `base` unless it exists; returns the branch head. */
export async function ensureBranchAt(checkout: GitCheckout, branch: string, base: string): Promise<string> {
  const head = await resolveCommit(checkout, branch);
  if (head !== null) return head;
  await runGit(checkout.dir, ['check-ref-format', `refs/heads/${branch}`]).catch((error: unknown) => {
    throw new InvariantError(`"${branch}" is not a valid branch name`, { cause: error });
  });
  const baseSha = await resolveCommit(checkout, base);
  if (baseSha === null) throw new InvariantError(`The base ${base} of branch ${branch} does not exist`);
  try {
    // The zero old value makes this "create only": a branch made meanwhile is left alone.
    await runGit(checkout.dir, ['update-ref', `refs/heads/${branch}`, baseSha, ZERO_SHA]);
  } catch (error) {
    const now = await resolveCommit(checkout, branch);
    if (now !== null) return now;
    throw error;
  }
  return baseSha;
}

/** Text of the file `path` at `ref`, or `null` when the ref or the file does not exist (or is a folder). */
export async function readBlob(checkout: GitCheckout, ref: string, path: string): Promise<string | null> {
  const commit = await resolveCommit(checkout, ref);
  if (commit === null) return null;
  const entry = await lsTreeEntry(checkout, commit, path);
  if (entry === null || entry.type !== 'blob') return null;
  return (await runGit(checkout.dir, ['cat-file', 'blob', entry.oid])).toString('utf8');
}

/**
 * Every file at `ref` with its content, from `git archive` read as GitHub's tarball is (so
 * `export-ignore` files are left out alike); a missing ref is an `InvariantError`.
 */
export async function readTreeAt(checkout: GitCheckout, ref: string): Promise<FileTree> {
  const commit = await resolveCommit(checkout, ref);
  if (commit === null) throw new InvariantError(`Cannot read the files of ${ref}: no such branch or commit`);
  const tar = await runGit(checkout.dir, ['archive', '--format=tar', '--prefix=tree/', commit]);
  return readTreeArchive(tar, `${checkout.dir}@${commit.slice(0, 12)}`);
}

/** One entry of `git ls-tree -z [--long]` output. */
export interface LsTreeEntry {
  mode: string;
  type: string;
  oid: string;
  size: number | null;
  path: string;
}

/** Parses `git ls-tree -z` output (with or without `--long`). */
export function parseLsTree(output: string): LsTreeEntry[] {
  return output
    .split('\0')
    .filter((record) => record !== '')
    .map((record) => {
      const tab = record.indexOf('\t');
      const [mode = '', type = '', oid = '', size] = record.slice(0, tab).trim().split(/\s+/);
      return {
        mode,
        type,
        oid,
        size: size === undefined || size === '-' ? null : Number(size),
        path: record.slice(tab + 1),
      };
    });
}

async function lsTreeEntry(checkout: GitCheckout, commit: string, path: string): Promise<LsTreeEntry | null> {
  const out = await runGit(checkout.dir, ['ls-tree', '-z', '--full-tree', commit, '--', path]);
  return parseLsTree(out.toString('utf8')).find((entry) => entry.path === path) ?? null;
}

/** The change set of one commit: `null` content deletes the path. */
export type FileChanges = ReadonlyArray<{ path: string; content: string | null }>;

/**
 * One commit on `branch` built with plumbing on a temporary index (the user's index and working
 * tree are never touched), then `update-ref` with the expected old head: compare-and-set. A branch
 * that moved throws `StateConflictError`.
 */
export async function commitOnBranch(
  checkout: GitCheckout,
  params: { branch: string; expectedHeadSha: string; message: string; changes: FileChanges },
): Promise<string> {
  const { branch, expectedHeadSha } = params;
  const head = await resolveCommit(checkout, branch);
  if (head !== expectedHeadSha) throw moved(branch, expectedHeadSha, head);
  const tmpDir = join(checkout.stateDir, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const index = join(tmpDir, `index-${randomUUID()}`);
  const env = { GIT_INDEX_FILE: index };
  try {
    await runGit(checkout.dir, ['read-tree', expectedHeadSha], { env });
    const written = params.changes.flatMap((change) => (change.content === null ? [] : [change.path]));
    const existing =
      written.length === 0
        ? []
        : parseLsTree(
            (
              await runGit(checkout.dir, ['ls-tree', '-z', '--full-tree', expectedHeadSha, '--', ...written])
            ).toString('utf8'),
          );
    const modes = new Map(existing.map((entry) => [entry.path, entry.mode]));
    const lines: string[] = [];
    for (const change of params.changes) {
      if (change.content === null) {
        lines.push(`0 ${ZERO_SHA}\t${change.path}`);
        continue;
      }
      const oid = await runGitText(checkout.dir, ['hash-object', '-w', '--stdin'], { input: change.content });
      const mode = modes.get(change.path);
      lines.push(`${mode === '100755' ? mode : '100644'} ${oid}\t${change.path}`);
    }
    await runGit(checkout.dir, ['update-index', '-z', '--index-info'], {
      env,
      input: lines.map((line) => `${line}\0`).join(''),
    });
    const tree = await runGitText(checkout.dir, ['write-tree'], { env });
    const commit = await runGitText(checkout.dir, ['commit-tree', tree, '-p', expectedHeadSha, '-F', '-'], {
      input: params.message,
      env: {
        GIT_AUTHOR_NAME: BOT_IDENTITY.name,
        GIT_AUTHOR_EMAIL: BOT_IDENTITY.email,
        GIT_COMMITTER_NAME: BOT_IDENTITY.name,
        GIT_COMMITTER_EMAIL: BOT_IDENTITY.email,
      },
    });
    try {
      await runGit(checkout.dir, ['update-ref', `refs/heads/${branch}`, commit, expectedHeadSha]);
    } catch (error) {
      const now = await resolveCommit(checkout, branch);
      if (now !== expectedHeadSha) throw moved(branch, expectedHeadSha, now);
      throw error;
    }
    return commit;
  } finally {
    await rm(index, { force: true });
  }
}

function moved(branch: string, expected: string, found: string | null): StateConflictError {
  return new StateConflictError(
    `Branch ${branch} moved: expected ${expected.slice(0, 12)}, found ${found?.slice(0, 12) ?? 'no branch'}`,
  );
}

/**
 * The newest of the last `limit` commits on `branch` whose message has the line `trailer` exactly
 * (trailing whitespace aside), or `null`. `git log --fixed-strings --grep` finds candidates; the
 * exact line and the window are checked here, since grep matches substrings anywhere.
 */
export async function findTrailerCommit(
  checkout: GitCheckout,
  params: { branch: string; trailer: string; limit?: number },
): Promise<string | null> {
  if (/[\r\n]/.test(params.trailer)) throw new InvariantError('A commit trailer is a single line');
  const head = await resolveCommit(checkout, params.branch);
  if (head === null) return null;
  const limit = String(params.limit ?? 50);
  const window = new Set(
    (await runGitText(checkout.dir, ['rev-list', `--max-count=${limit}`, head])).split('\n'),
  );
  const out = await runGit(checkout.dir, [
    'log',
    `--max-count=${limit}`,
    '--fixed-strings',
    `--grep=${params.trailer}`,
    '--format=%H%x00%B%x00',
    head,
  ]);
  const parts = out.toString('utf8').split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const sha = (parts[i] ?? '').trim();
    const body = parts[i + 1] ?? '';
    if (window.has(sha) && body.split('\n').some((line) => line.trimEnd() === params.trailer)) return sha;
  }
  return null;
}

/** Writes the tree of `commit` into `target` (an empty folder) through a temporary index; no worktree, no hooks. */
export async function exportTree(checkout: GitCheckout, commit: string, target: string): Promise<void> {
  const tmpDir = join(checkout.stateDir, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const index = join(tmpDir, `index-${randomUUID()}`);
  const env = { GIT_INDEX_FILE: index };
  try {
    await runGit(checkout.dir, ['read-tree', commit], { env });
    await runGit(checkout.dir, ['checkout-index', '--all', '--force', `--prefix=${target}/`], { env });
  } finally {
    await rm(index, { force: true });
  }
}

/** The commits on `branch` since `base` (newest first, `<short sha> <subject>`) and the files they changed. */
export async function describeBranch(
  checkout: GitCheckout,
  params: { base: string; branch: string },
): Promise<{ commits: string[]; files: string[] }> {
  const base = toRevision(params.base);
  const branch = toRevision(params.branch);
  const log = await runGitText(checkout.dir, ['log', '--format=%h %s', `${base}..${branch}`, '--']);
  const diff = await runGitText(checkout.dir, ['diff', '--name-only', base, branch, '--']);
  return { commits: log === '' ? [] : log.split('\n'), files: diff === '' ? [] : diff.split('\n') };
}

/** The checked-out branch's name, or the commit sha when the head is detached. */
export async function currentBase(checkout: GitCheckout): Promise<string> {
  const branch = await tryGitText(checkout.dir, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  if (branch !== null && branch !== '') return branch;
  const head = await resolveCommit(checkout, 'HEAD');
  if (head === null)
    throw new InvariantError(`${checkout.dir} has no commit yet: commit something before a run`);
  return head;
}
