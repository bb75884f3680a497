import type { LRUCache } from 'lru-cache';

/**
 * The promise kept in `cache` under `key`, or `load()` kept there now: callers at once share one
 * load, and a load that fails is dropped so the next caller loads again.
 */
export function rememberPromise<T extends {}>(
  cache: LRUCache<string, Promise<T>>,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  const kept = cache.get(key);
  if (kept !== undefined) return kept;
  const loading = load();
  cache.set(key, loading);
  loading.catch(() => cache.delete(key));
  return loading;
}
