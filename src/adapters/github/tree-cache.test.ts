import { describe, expect, it } from 'vitest';
import type { FileTree } from '../../ports/github.js';
import { treeFileContent } from '../archive/tree-file-content.js';
import { createTreeCache, treeBytes } from './tree-cache.js';

/** A tree of one text file of `chars` characters. */
function treeOf(chars: number, path = 'a.py'): FileTree {
  return new Map([[path, treeFileContent(path, '100644', Buffer.from('x'.repeat(chars)))]]);
}

/** A load that counts its calls and settles when told. */
function deferredLoad(tree: FileTree) {
  const calls: Array<{ resolve: (tree: FileTree) => void; reject: (error: Error) => void }> = [];
  const load = () =>
    new Promise<FileTree>((resolve, reject) => {
      calls.push({ resolve, reject });
    });
  return { calls, load, tree };
}

describe('createTreeCache', () => {
  it('shares one load between callers while it runs, then answers from what it kept', async () => {
    const cache = createTreeCache();
    const { calls, load, tree } = deferredLoad(treeOf(10));
    const first = cache.get('1/acme/connectors@abc', load);
    const second = cache.get('1/acme/connectors@abc', load);
    await Promise.resolve();
    expect(calls).toHaveLength(1);
    calls[0]?.resolve(tree);
    expect(await first).toBe(tree);
    expect(await second).toBe(tree);
    expect(await cache.get('1/acme/connectors@abc', load)).toBe(tree);
    expect(calls).toHaveLength(1);
  });

  it('keeps trees apart by key', async () => {
    const cache = createTreeCache();
    const one = treeOf(1);
    const two = treeOf(2);
    expect(await cache.get('1/acme/connectors@abc', async () => one)).toBe(one);
    expect(await cache.get('2/acme/connectors@abc', async () => two)).toBe(two);
  });

  it('does not keep a failed load: every caller waiting on it sees the error, the next call loads again', async () => {
    const cache = createTreeCache();
    const { calls, load, tree } = deferredLoad(treeOf(10));
    const first = cache.get('k', load);
    const second = cache.get('k', load);
    await Promise.resolve();
    calls[0]?.reject(new Error('502 from codeload'));
    await expect(first).rejects.toThrow('502 from codeload');
    await expect(second).rejects.toThrow('502 from codeload');
    const third = cache.get('k', load);
    await Promise.resolve();
    expect(calls).toHaveLength(2);
    calls[1]?.resolve(tree);
    expect(await third).toBe(tree);
  });

  it('turns a load that throws at once into a rejected promise', async () => {
    const cache = createTreeCache();
    await expect(
      cache.get('k', () => {
        throw new Error('no octokit');
      }),
    ).rejects.toThrow('no octokit');
  });

  it('stays within its bound: the least recently used tree goes first, and one over the bound is never kept', async () => {
    const size = treeBytes(treeOf(1000));
    const cache = createTreeCache({ maxBytes: 2 * size });
    let loads = 0;
    const load = (tree: FileTree) => async () => {
      loads += 1;
      return tree;
    };
    await cache.get('a', load(treeOf(1000)));
    await cache.get('b', load(treeOf(1000)));
    await cache.get('a', load(treeOf(1000)));
    await cache.get('c', load(treeOf(1000)));
    expect(loads).toBe(3);
    await cache.get('a', load(treeOf(1000)));
    expect(loads).toBe(3);
    await cache.get('b', load(treeOf(1000)));
    expect(loads).toBe(4);
    const huge = treeOf(3000);
    expect(treeBytes(huge)).toBeGreaterThan(2 * size);
    expect(await cache.get('huge', load(huge))).toBe(huge);
    await cache.get('huge', load(huge));
    expect(loads).toBe(6);
  });

  it('counts a tree by its kept text and paths', () => {
    expect(treeBytes(treeOf(1000))).toBeGreaterThan(2000);
    expect(treeBytes(new Map())).toBe(1);
  });
});
