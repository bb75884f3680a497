import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REF, researchJob } from '../../../test/helpers/pipeline.js';
import { createLogger } from '../../logging.js';
import type { JobHandlers } from '../queue/in-memory-job-queue.js';
import { createEmbeddedJobQueue } from './embedded-job-queue.js';

const log = createLogger({ level: 'silent' });
const EVENT = { kind: 'rebuild', ref: REF } as const;

function handlers(overrides: Partial<JobHandlers>): JobHandlers {
  return {
    event: async () => undefined,
    stage: async () => undefined,
    verification: async () => undefined,
    selfReview: async () => undefined,
    ...overrides,
  };
}

function until(check: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > 5_000) {
        clearInterval(timer);
        reject(new Error(`never saw ${what}`));
      }
    }, 5);
  });
}

describe('createEmbeddedJobQueue', () => {
  it('handles an event while a stage job runs (a /cancel is not stuck behind a stage)', async () => {
    const queue = createEmbeddedJobQueue({ dir: mkdtempSync(join(tmpdir(), 'embedded-')), log });
    let releaseStage: () => void = () => undefined;
    const seen: string[] = [];
    await queue.start(
      handlers({
        stage: () =>
          new Promise<void>((resolve) => {
            seen.push('stage started');
            releaseStage = resolve;
          }),
        event: async () => {
          seen.push('event');
        },
      }),
    );

    await queue.enqueueStage(researchJob());
    await until(() => seen.includes('stage started'), 'the stage start');
    await queue.enqueueEvent('cancel-1', EVENT);
    await until(() => seen.includes('event'), 'the event, while the stage runs');
    releaseStage();
    await queue.close();

    expect(seen).toEqual(['stage started', 'event']);
  });

  it('runs again, after a restart, the jobs the last process queued and did not finish', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'embedded-'));
    const first = createEmbeddedJobQueue({ dir, log });
    let releaseStage: () => void = () => undefined;
    let stageStarted = false;
    await first.start(
      handlers({
        stage: () =>
          new Promise<void>((resolve) => {
            stageStarted = true;
            releaseStage = resolve;
          }),
      }),
    );
    await first.enqueueStage(researchJob());
    await until(() => stageStarted, 'the stage start');
    const closed = first.close();
    releaseStage();
    await closed;

    const ran: string[] = [];
    const second = createEmbeddedJobQueue({ dir, log });
    const { replayed } = await second.start(
      handlers({
        stage: async (job) => {
          ran.push(job.jobId);
        },
      }),
    );
    await until(() => ran.length > 0, 'the replayed stage');
    await second.close();

    expect(replayed).toBe(1);
    expect(ran).toEqual([researchJob().jobId]);
  });
});
