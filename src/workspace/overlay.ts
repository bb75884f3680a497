import type { WorkspaceChange } from './commit-changes.js';
import { type Snapshot, SYMLINK_MODE } from './snapshot.js';
import { assertNoNewSecrets, assertText } from './text-checks.js';
import { ToolError } from './tool-error.js';

/** Bounds on what one workspace may change. */
export interface WorkspaceLimits {
  /** Bytes (UTF-8) of one written file. */
  maxFileBytes: number;
  /** Bytes of every written file together. */
  maxTotalBytes: number;
  /** Paths changed (written or deleted). */
  maxFiles: number;
}

export const DEFAULT_WORKSPACE_LIMITS: Readonly<WorkspaceLimits> = Object.freeze({
  maxFileBytes: 256 * 1024,
  maxTotalBytes: 2 * 1024 * 1024,
  maxFiles: 200,
});

/** The writes of a workspace over its snapshot. Paths given here are already normalised and allowed. */
export interface Overlay {
  paths(): Promise<string[]>;
  read(path: string): Promise<string>;
  write(path: string, content: string): Promise<void>;
  remove(path: string): Promise<void>;
  diff(): Promise<WorkspaceChange[]>;
}

/** An in-memory overlay: path → new content, or `null` for a deleted snapshot file. */
export function createOverlay(params: { snapshot: Snapshot; limits?: Partial<WorkspaceLimits> }): Overlay {
  const { snapshot } = params;
  const limits = { ...DEFAULT_WORKSPACE_LIMITS, ...params.limits };
  const changes = new Map<string, string | null>();

  async function effective(): Promise<Set<string>> {
    const paths = new Set((await snapshot.files()).keys());
    for (const [path, content] of changes) {
      if (content === null) paths.delete(path);
      else paths.add(path);
    }
    return paths;
  }

  /** The snapshot's text of `path`, or null when it has none we can read (new, binary, too large). */
  async function original(path: string): Promise<string | null> {
    if (!(await snapshot.files()).has(path)) return null;
    try {
      return await snapshot.read(path);
    } catch (error) {
      if (error instanceof ToolError) return null;
      throw error;
    }
  }

  async function assertWritable(path: string): Promise<void> {
    if ((await snapshot.files()).get(path)?.mode === SYMLINK_MODE) {
      throw new ToolError(`Refused: ${path} is a symbolic link; links are never written or deleted.`);
    }
    if (!changes.has(path) && changes.size >= limits.maxFiles) {
      throw new ToolError(`Refused: this workspace already changes ${limits.maxFiles} files, the limit.`);
    }
  }

  async function assertNoClash(path: string): Promise<void> {
    const paths = await effective();
    const segments = path.split('/');
    for (let depth = 1; depth < segments.length; depth += 1) {
      const parent = segments.slice(0, depth).join('/');
      if (paths.has(parent))
        throw new ToolError(`Refused: ${parent} is a file, so ${path} cannot be created.`);
    }
    if ([...paths].some((other) => other.startsWith(`${path}/`))) {
      throw new ToolError(`Refused: ${path} is a folder; give the path of a file.`);
    }
  }

  function assertSize(path: string, content: string): void {
    const bytes = Buffer.byteLength(content, 'utf8');
    if (bytes > limits.maxFileBytes) {
      throw new ToolError(
        `Refused to write ${path}: ${bytes} bytes, over the ${limits.maxFileBytes}-byte limit.`,
      );
    }
    let total = bytes;
    for (const [other, text] of changes)
      if (other !== path && text !== null) total += Buffer.byteLength(text);
    if (total > limits.maxTotalBytes) {
      throw new ToolError(
        `Refused to write ${path}: the workspace would hold over ${limits.maxTotalBytes} bytes.`,
      );
    }
  }

  return {
    paths: async () => [...(await effective())].sort(),
    async read(path) {
      if (!changes.has(path)) return snapshot.read(path);
      const content = changes.get(path);
      if (content === null || content === undefined)
        throw new ToolError(`${path} was deleted in this workspace.`);
      return content;
    },
    async write(path, content) {
      await assertWritable(path);
      await assertNoClash(path);
      assertText(path, content);
      assertSize(path, content);
      const before = await original(path);
      assertNoNewSecrets(path, content, before);
      if (before === content) changes.delete(path);
      else changes.set(path, content);
    },
    async remove(path) {
      await assertWritable(path);
      if (!(await effective()).has(path)) throw new ToolError(`${path} does not exist.`);
      if ((await snapshot.files()).has(path)) changes.set(path, null);
      else changes.delete(path);
    },
    async diff() {
      const base = await snapshot.files();
      const result: WorkspaceChange[] = [];
      for (const [path, content] of [...changes].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (content === null) {
          if (base.has(path)) result.push({ path, status: 'deleted', content: null });
        } else if (!base.has(path)) {
          result.push({ path, status: 'added', content });
        } else if ((await original(path)) !== content) {
          result.push({ path, status: 'modified', content });
        }
      }
      return result;
    },
  };
}
