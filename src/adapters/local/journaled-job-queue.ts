import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SelfReviewJob, StageJob, VerificationJob } from '../../domain/pipeline/jobs.js';
import type { JobQueue } from '../../ports/job-queue.js';
import { EventJob } from '../../workers/event-job.js';
import type { InMemoryJobQueue, JobContext, JobHandlers } from '../queue/in-memory-job-queue.js';
import { readJsonFile, writeJsonAtomic } from './write-json-atomic.js';

/** One queued job as the journal keeps it until it has run. */
const JournalEntry = z.discriminatedUnion('name', [
  z.object({ seq: z.number().int(), name: z.literal('event'), jobId: z.string(), data: EventJob }),
  z.object({ seq: z.number().int(), name: z.literal('stage'), jobId: z.string(), data: StageJob }),
  z.object({
    seq: z.number().int(),
    name: z.literal('verification'),
    jobId: z.string(),
    data: VerificationJob,
  }),
  z.object({ seq: z.number().int(), name: z.literal('self-review'), jobId: z.string(), data: SelfReviewJob }),
]);
type JournalEntry = z.infer<typeof JournalEntry>;

/** The in-memory queue with a journal: what `--resume` needs to go on after Ctrl-C or a crash. */
export interface JournaledJobQueue extends JobQueue {
  /** Registers handlers; a job's journal entry goes once its handler returned (or it failed for good). */
  process(handlers: JobHandlers): void;
  /** Runs jobs until none is ready (see `InMemoryJobQueue.drain`). */
  drain(): Promise<void>;
  /** Queues again every job the journal still holds, oldest first: the jobs an earlier process did not finish. */
  replay(): Promise<number>;
  /** Errors of jobs that failed for good since the last call. */
  takeFailures(): Array<{ jobId: string; error: Error }>;
}

/**
 * Wraps the in-memory queue so that every enqueued job is first written to `dir` and removed only
 * after it ran. A job whose handler was skipped because the process is stopping (`isStopping`) keeps
 * its entry, so `replay` in the next process runs it: stage jobs find their own commit by trailer,
 * events are recognised by id, so nothing is applied or committed twice.
 */
export function createJournaledJobQueue(params: {
  dir: string;
  inner: InMemoryJobQueue;
  isStopping: () => boolean;
}): JournaledJobQueue {
  const { dir, inner } = params;
  let seq = Date.now() * 1000;
  let failuresSeen = 0;
  const fileOf = (name: string, jobId: string) =>
    join(dir, `${name}-${jobId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);

  async function record(entry: Omit<JournalEntry, 'seq'>): Promise<void> {
    seq += 1;
    await writeJsonAtomic(fileOf(entry.name, entry.jobId), { ...entry, seq });
  }

  async function settle(name: string, jobId: string, run: () => Promise<void>): Promise<void> {
    if (params.isStopping()) return;
    await run();
    if (!params.isStopping()) await rm(fileOf(name, jobId), { force: true });
  }

  function wrap<T>(name: string, handler: (job: T, context: JobContext) => Promise<void>) {
    return (job: T, context: JobContext) => settle(name, context.jobId, () => handler(job, context));
  }

  return {
    async enqueueEvent(jobId, job, options) {
      // Timers (CI polls) are not kept: the local CI reports its result itself, nothing waits on them.
      if ((options?.delayMs ?? 0) <= 0) await record({ name: 'event', jobId, data: EventJob.parse(job) });
      await inner.enqueueEvent(jobId, job, options);
    },
    async enqueueStage(job) {
      await record({ name: 'stage', jobId: job.jobId, data: StageJob.parse(job) });
      await inner.enqueueStage(job);
    },
    async enqueueVerification(job) {
      await record({ name: 'verification', jobId: job.jobId, data: VerificationJob.parse(job) });
      await inner.enqueueVerification(job);
    },
    async enqueueSelfReview(job) {
      await record({ name: 'self-review', jobId: job.jobId, data: SelfReviewJob.parse(job) });
      await inner.enqueueSelfReview(job);
    },
    async cancelRunJobs(ref) {
      // Journal entries of removed jobs stay; replayed, each finds its run cancelled and does nothing.
      return inner.cancelRunJobs(ref);
    },
    process(handlers) {
      inner.process({
        event: wrap('event', handlers.event),
        stage: wrap('stage', handlers.stage),
        verification: wrap('verification', handlers.verification),
        selfReview: wrap('self-review', handlers.selfReview),
      });
    },
    async drain() {
      await inner.drain();
      for (const failure of inner.failed().slice(failuresSeen)) {
        await rm(fileOf(failure.name, failure.jobId), { force: true });
      }
    },
    async replay() {
      const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[];
        throw error;
      });
      const entries: JournalEntry[] = [];
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        const entry = await readJsonFile(join(dir, name), JournalEntry);
        if (entry !== null) entries.push(entry);
      }
      entries.sort((a, b) => a.seq - b.seq);
      for (const entry of entries) {
        seq = Math.max(seq, entry.seq);
        if (entry.name === 'event') await inner.enqueueEvent(entry.jobId, entry.data);
        else if (entry.name === 'stage') await inner.enqueueStage(entry.data);
        else if (entry.name === 'verification') await inner.enqueueVerification(entry.data);
        else await inner.enqueueSelfReview(entry.data);
      }
      return entries.length;
    },
    takeFailures() {
      const fresh = inner.failed().slice(failuresSeen);
      failuresSeen += fresh.length;
      return fresh.map(({ jobId, error }) => ({ jobId, error }));
    },
  };
}
