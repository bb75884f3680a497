import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonAtomic } from './write-json-atomic.js';

/** What the local GitHub keeps of the issue, its comments, the PR, labels and check runs. */
export const LocalRecord = z.object({
  version: z.literal(1),
  /** The branch (or commit) the runs build on: the checkout's branch when the first run started. */
  base: z.string().min(1),
  nextId: z.number().int().positive(),
  comments: z.array(
    z.object({ id: z.number().int(), issue: z.number().int(), key: z.string(), body: z.string() }),
  ),
  pullRequests: z.array(
    z.object({
      number: z.number().int().positive(),
      branch: z.string(),
      title: z.string(),
      body: z.string(),
      draft: z.boolean(),
      reviewers: z.array(z.string()),
    }),
  ),
  labels: z.record(z.string(), z.array(z.string())),
  checkRuns: z.array(
    z.object({
      name: z.string(),
      headSha: z.string(),
      state: z.enum(['queued', 'in_progress', 'success', 'failure', 'cancelled']),
      title: z.string(),
      summary: z.string(),
    }),
  ),
});
export type LocalRecord = z.infer<typeof LocalRecord>;

/** The record file, `<state dir>/github.json`. */
export function localRecordPath(stateDir: string): string {
  return join(stateDir, 'github.json');
}

/** A fresh record building on `base`. */
export function emptyLocalRecord(base: string): LocalRecord {
  return { version: 1, base, nextId: 1, comments: [], pullRequests: [], labels: {}, checkRuns: [] };
}

/**
 * The record file with one writer at a time in this process: `update` reads, applies `change` and
 * writes atomically, in order. The record is created with `base` when missing.
 */
export function createLocalRecordFile(stateDir: string, base: string) {
  const path = localRecordPath(stateDir);
  let queue: Promise<unknown> = Promise.resolve();

  async function read(): Promise<LocalRecord> {
    return (await readJsonFile(path, LocalRecord)) ?? emptyLocalRecord(base);
  }

  return {
    read,
    /** Applies `change` to the record and saves it when it returns `true`; the result is passed on. */
    update<T>(change: (record: LocalRecord) => { changed: boolean; result: T }): Promise<T> {
      const next = queue.then(async () => {
        const record = await read();
        const { changed, result } = change(record);
        if (changed) await writeJsonAtomic(path, record);
        return result;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/** The record file handle `createLocalRecordFile` returns. */
export type LocalRecordFile = ReturnType<typeof createLocalRecordFile>;
