import { join } from 'node:path';
import type { Logger } from '../../logging.js';
import type { AppStorage } from '../../ports/app-storage.js';
import { createFileRunStore } from '../local/file-run-store.js';
import { embeddedHandlers } from './embedded-handlers.js';
import { createEmbeddedJobQueue } from './embedded-job-queue.js';
import { createMemoryRateLimiter } from './memory-rate-limiter.js';

/**
 * The storage of a one-process trial without Redis: runs as JSON files under `dir/runs`, jobs
 * journaled under `dir/jobs` (`createEmbeddedJobQueue`), so runs survive a restart; the reply limit
 * in memory. A crashed stage's spend is not carried over (no spend ledger) and jobs run one at a
 * time per queue: it is for trying the bot on a repository or two, not for a busy installation.
 */
export function openEmbeddedStorage(params: { dir: string; log: Logger }): AppStorage {
  const jobs = createEmbeddedJobQueue({ dir: join(params.dir, 'jobs'), log: params.log });
  const shutdown = new AbortController();
  const allowReply = createMemoryRateLimiter();
  return {
    kind: 'disk',
    jobs,
    allowReply,
    deps: { store: createFileRunStore(join(params.dir, 'runs')), jobs, allowReply },
    async startWorkers(deps) {
      const { replayed } = await jobs.start(embeddedHandlers(deps, shutdown.signal));
      if (replayed > 0) params.log.info({ replayed }, 'Queued again the jobs the last process left');
      return {
        async close() {
          shutdown.abort();
          await jobs.close();
        },
      };
    },
    startWatch: () => null,
    async close() {},
  };
}
