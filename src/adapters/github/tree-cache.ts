import { LRUCache } from 'lru-cache';
import type { FileTree } from '../../ports/github.js';

/** The default bound of a process's trees: a connector repository is a few MB of text. */
export const DEFAULT_TREE_CACHE_BYTES = 64 * 1024 * 1024;

/** Bytes a tree is counted as: its kept texts and paths (UTF-16, as JavaScript holds them) plus a little per file. */
export function treeBytes(tree: FileTree): number {
  let bytes = 0;
  for (const [path, file] of tree) {
    const body =
      file.body.kind === 'text' ? file.body.text : file.body.kind === 'symlink' ? file.body.target : '';
    bytes += 128 + 2 * (path.length + body.length);
  }
  return Math.max(1, bytes);
}

/**
 * Trees of commits, kept once read: a commit never changes, so a tree read for one job serves every
 * later job of the process. Keys name the installation, repository and sha.
 */
export interface TreeCache {
  /**
   * The tree of `key`: kept, being loaded (callers at once share one `load`), or loaded now. A
   * failed load is not kept: the next call loads again.
   */
  get(key: string, load: () => Promise<FileTree>): Promise<FileTree>;
}

/**
 * A `TreeCache` bounded to `maxBytes` (as `treeBytes` counts them), least recently used first out.
 * A tree larger than the bound is returned but not kept. Pass one per process.
 */
export function createTreeCache(options: { maxBytes?: number } = {}): TreeCache {
  const kept = new LRUCache<string, FileTree>({
    maxSize: options.maxBytes ?? DEFAULT_TREE_CACHE_BYTES,
    sizeCalculation: treeBytes,
  });
  const loading = new Map<string, Promise<FileTree>>();
  return {
    get(key, load) {
      const found = kept.get(key);
      if (found !== undefined) return Promise.resolve(found);
      let pending = loading.get(key);
      if (pending === undefined) {
        pending = Promise.resolve()
          .then(load)
          .then(
            (tree) => {
              loading.delete(key);
              kept.set(key, tree);
              return tree;
            },
            (error: unknown) => {
              loading.delete(key);
              throw error;
            },
          );
        loading.set(key, pending);
      }
      return pending;
    },
  };
}
