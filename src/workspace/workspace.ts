import { checkPath, normalizePath, type PathPolicy } from '../domain/policy/path-policy.js';
import type { GitHubPort } from '../ports/github.js';
import { type CommitResult, commitChanges, type WorkspaceChange } from './commit-changes.js';
import { createOverlay, type WorkspaceLimits } from './overlay.js';
import { compilePattern, searchTexts } from './search.js';
import { createSnapshot } from './snapshot.js';
import { sliceLines } from './text-checks.js';
import { ToolError } from './tool-error.js';

export type { CommitResult, WorkspaceChange } from './commit-changes.js';
export { DEFAULT_WORKSPACE_LIMITS, type WorkspaceLimits } from './overlay.js';
export { ToolError } from './tool-error.js';

/**
 * The files an agent works on: the branch at `baseSha`, read lazily through the GitHub port, under
 * an in-memory overlay of its writes. Reads see the overlay first. Every write passes the stage's
 * path policy, the size limits, a text-only check, the symlink refusal and the secret scan, or
 * throws a `ToolError` (for the model) and changes nothing. Nothing reaches GitHub until `commit`.
 */
export interface Workspace {
  readonly branch: string;
  readonly baseSha: string;
  /** Paths under `prefix` (a folder; all files when omitted), sorted: the snapshot plus the overlay. */
  listFiles(prefix?: string): Promise<string[]>;
  /** Text of `path`, or its lines `from`..`to` (1-based, inclusive). */
  readFile(path: string, range?: { from: number; to: number }): Promise<string>;
  /** `path:line: text` for each line matching the JavaScript regex `pattern` in files under `prefix`. */
  searchFiles(pattern: string, prefix?: string): Promise<string[]>;
  /** Creates or replaces `path`. */
  writeFile(path: string, content: string): Promise<void>;
  /** Replaces the one occurrence of `oldText` in `path` with `newText`. */
  editFile(path: string, oldText: string, newText: string): Promise<void>;
  deleteFile(path: string): Promise<void>;
  /** The changes against the snapshot, by path; content restored to the original is no change. */
  diff(): Promise<WorkspaceChange[]>;
  /**
   * One commit of `diff()` with the trailer `Lakeflow-Job: <jobId>`, at most once per job provided the
   * caller looked for that commit after the workspace read its base (`commitChanges`).
   */
  commit(params: { message: string; jobId: string }): Promise<CommitResult>;
}

/** A workspace over `branch` at `baseSha`, writing where `policy` allows. */
export function createWorkspace(params: {
  github: GitHubPort;
  branch: string;
  baseSha: string;
  policy: PathPolicy;
  limits?: Partial<WorkspaceLimits>;
}): Workspace {
  const { github, branch, baseSha, policy } = params;
  const snapshot = createSnapshot(github, baseSha);
  const overlay = createOverlay({ snapshot, limits: params.limits });

  async function listFiles(prefix?: string): Promise<string[]> {
    const trimmed = (prefix ?? '').replace(/\/+$/, '');
    const folder = trimmed === '' || trimmed === '.' ? '' : readablePath(trimmed);
    const paths = await overlay.paths();
    return folder === '' ? paths : paths.filter((path) => path.startsWith(`${folder}/`));
  }

  async function writeFile(path: string, content: string): Promise<void> {
    await overlay.write(writablePath(policy, path), content);
  }

  async function editFile(path: string, oldText: string, newText: string): Promise<void> {
    const target = writablePath(policy, path);
    if (oldText === '') throw new ToolError('old_text is empty: give the exact text to replace.');
    const current = await overlay.read(target);
    const first = current.indexOf(oldText);
    if (first === -1) {
      throw new ToolError(`old_text was not found in ${target}; read the file and copy the text exactly.`);
    }
    const count = current.split(oldText).length - 1;
    if (count > 1) {
      throw new ToolError(
        `old_text occurs ${count} times in ${target}; include more surrounding lines so it matches once.`,
      );
    }
    await overlay.write(target, current.slice(0, first) + newText + current.slice(first + oldText.length));
  }

  return {
    branch,
    baseSha,
    listFiles,
    async readFile(path, range) {
      const target = readablePath(path);
      const text = await overlay.read(target);
      return range === undefined ? text : sliceLines(target, text, range);
    },
    async searchFiles(pattern, prefix) {
      const regex = compilePattern(pattern);
      return searchTexts({ regex, paths: await listFiles(prefix), read: (path) => overlay.read(path) });
    },
    writeFile,
    editFile,
    deleteFile: async (path) => overlay.remove(writablePath(policy, path)),
    diff: () => overlay.diff(),
    commit: ({ message, jobId }) =>
      commitChanges(github, { branch, baseSha, message, jobId, changes: () => overlay.diff() }),
  };
}

function readablePath(raw: string): string {
  const checked = normalizePath(raw);
  if (!checked.ok) throw new ToolError(checked.reason);
  return checked.path;
}

function writablePath(policy: PathPolicy, raw: string): string {
  const checked = checkPath(policy, raw);
  if (!checked.ok) throw new ToolError(`Refused: ${checked.reason}`);
  return checked.path;
}
