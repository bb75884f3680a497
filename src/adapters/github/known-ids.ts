import { LRUCache } from 'lru-cache';

/** Ids kept at most: comments and check runs of every run the process has touched lately. */
const MAX_IDS = 20_000;

/**
 * The ids of what this process found or created on GitHub (a marked comment, a check run), so the
 * next edit goes straight to it instead of listing comments or check runs first. Ids never change
 * on GitHub; a thing deleted since answers 404, and the caller then forgets it and looks it up.
 * Bounded (`lru-cache`); one per process, shared by every repository's port.
 */
export interface KnownIds {
  get(key: string): number | undefined;
  set(key: string, id: number): void;
  forget(key: string): void;
}

/** A `KnownIds` in a bounded LRU. */
export function createKnownIds(max: number = MAX_IDS): KnownIds {
  const ids = new LRUCache<string, number>({ max });
  return {
    get: (key) => ids.get(key),
    set: (key, id) => {
      ids.set(key, id);
    },
    forget: (key) => {
      ids.delete(key);
    },
  };
}
