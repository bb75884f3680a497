import { type ConnectionOptions, Job, Queue, type Worker } from 'bullmq';
import type { Logger } from '../../logging.js';
import { startPeriodic } from '../../workers/periodic.js';
import type { LostJob } from '../../workers/report-lost-job.js';
import { JOB_NAMES, QUEUE_NAMES } from './queues.js';
import { requeueLostEventJob, STALLED_FOR_GOOD } from './requeue-lost-event.js';

/** How often the sweep runs, how far back it looks, and how many failed jobs it reads at most. */
export const LOST_JOB_SWEEP = { intervalMs: 2 * 60_000, lookbackMs: 24 * 60 * 60_000, scanned: 500 } as const;

/** What a failed phases job is to its run (`reportLostJob`'s kinds). */
export function lostJobKind(name: string): LostJob['kind'] {
  if (name === JOB_NAMES.stage || name === JOB_NAMES.stageFlow) return 'stage';
  if (name === JOB_NAMES.verification) return 'verification';
  return 'other';
}

/** The running sweep. */
export interface LostJobSweep {
  /**
   * Queues events job `jobId` again if BullMQ failed it for stalling (`requeueLostEventJob`), at
   * once from a `stalled` event rather than at the next sweep; never throws (it runs from a listener).
   */
  requeueIfLost(jobId: string): Promise<void>;
  stop(): Promise<void>;
}

/** Job `jobId` of `queue` when it has failed (for good: no attempt left), else `null`. */
export async function failedJob(queue: Queue | Worker, jobId: string): Promise<Job | null> {
  const job = await Job.fromId(queue, jobId);
  return job !== undefined && (await job.getState()) === 'failed' ? job : null;
}

/**
 * The durable half of reporting lost jobs. Events jobs failed for stalling are queued again
 * (`requeueLostEventJob`). For phases jobs: The `stalled` listener reports a job BullMQ
 * failed for stalling too often, but only in the process that ran the stalled check, and only if
 * that process lives long enough (a `kill -9` right after loses it, and the run would wait forever).
 * So, at start and every `intervalMs`, this reads the newest failed phases jobs and reports each one
 * failed that way within `lookbackMs` to `report` again: the report is idempotent (its event id is
 * the job's `<job id>-result`, kept three days), so a job reported before costs nothing.
 */
export function startLostJobSweep(params: {
  connection: ConnectionOptions;
  prefix?: string;
  report: (lost: LostJob, jobId: string) => Promise<void>;
  log: Logger;
  now?: () => number;
  settings?: Partial<typeof LOST_JOB_SWEEP>;
}): LostJobSweep {
  const settings = { ...LOST_JOB_SWEEP, ...params.settings };
  const now = params.now ?? Date.now;
  const options = {
    connection: params.connection,
    ...(params.prefix === undefined ? {} : { prefix: params.prefix }),
  };
  const queue = new Queue(QUEUE_NAMES.phases, options);
  const events = new Queue(QUEUE_NAMES.events, options);
  for (const each of [queue, events])
    each.on('error', (err) => params.log.warn({ err }, 'Lost-job sweep: Redis error'));
  const sweep = async () => {
    try {
      const since = now() - settings.lookbackMs;
      for (const job of (await events.getFailed(0, settings.scanned - 1)) as Job[]) {
        if ((job.finishedOn ?? 0) < since) continue;
        await requeueLostEventJob(events, job, params.log);
      }
      const failed: Job[] = await queue.getFailed(0, settings.scanned - 1);
      for (const job of failed) {
        if (job.failedReason !== STALLED_FOR_GOOD || (job.finishedOn ?? 0) < since) continue;
        const kind = lostJobKind(job.name);
        if (kind === 'other') continue;
        await params.report({ kind, data: job.data, failedReason: job.failedReason }, job.id ?? job.name);
      }
    } catch (err) {
      params.log.warn({ err }, 'Lost-job sweep failed; it runs again at its next interval');
    }
  };
  const periodic = startPeriodic(sweep, settings.intervalMs);
  return {
    async requeueIfLost(jobId) {
      try {
        const job = await failedJob(events, jobId);
        if (job !== null) await requeueLostEventJob(events, job, params.log);
      } catch (err) {
        params.log.error(
          { err, queue: QUEUE_NAMES.events, jobId },
          'Could not queue a lost events job again',
        );
      }
    },
    async stop() {
      await periodic.stop();
      await queue.close();
      await events.close();
    },
  };
}
