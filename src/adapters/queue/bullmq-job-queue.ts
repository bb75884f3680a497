import { type ConnectionOptions, type DefaultJobOptions, FlowProducer, type JobType, Queue } from 'bullmq';
import { z } from 'zod';
import { SelfReviewJob, StageJob, VerificationJob } from '../../domain/pipeline/jobs.js';
import { isSameRun, RunRef } from '../../domain/pipeline/run.js';
import { partsOf, type StagePartJob, stagePartJobId } from '../../domain/pipeline/stage-parts.js';
import { ExternalServiceError } from '../../errors.js';
import type { Logger } from '../../logging.js';
import type { JobQueue } from '../../ports/job-queue.js';
import { EventJob } from '../../workers/event-job.js';
import { logRedisErrors } from '../redis/connect-redis.js';
import {
  assertJobId,
  DEFAULT_JOB_OPTIONS,
  JOB_NAMES,
  type JobName,
  parseJobData,
  QUEUE_NAMES,
  type QueueName,
} from './queues.js';

/** A `JobQueue` that owns its BullMQ `Queue`s and must be closed. */
export interface BullmqJobQueue extends JobQueue {
  /** Closes the queues' connections. */
  close(): Promise<void>;
}

/** Options of `createBullmqJobQueue`. */
export interface BullmqJobQueueOptions {
  /** Producer connection (see `queueConnectionOptions`). */
  connection: ConnectionOptions;
  /** BullMQ key prefix (default `bull`); workers must use the same one. */
  prefix?: string;
  /** Per-queue overrides of `DEFAULT_JOB_OPTIONS` (tests shorten the backoff). */
  jobOptions?: Partial<Record<QueueName, DefaultJobOptions>>;
  /** Where connection errors of the queues go (rate-limited); without it they are ignored here. */
  log?: Logger;
}

/** Jobs of a run that `cancelRunJobs` removes, per queue. */
const CANCELLABLE: Readonly<Record<QueueName, JobType[]>> = {
  // Waiting events stay: people's commands and webhooks are still answered ("this run was
  // cancelled"); delayed ones are the run's own timers (CI polls) and go.
  events: ['delayed'],
  phases: ['wait', 'delayed', 'prioritized', 'waiting-children'],
};
const PAGE_SIZE = 500;
/** What a stage job returns when its run no longer wanted it (`processStageJob`). */
const STAGE_NOT_RUN: ReadonlySet<string> = new Set(['skipped', 'cancelled']);
const WithRef = z.object({ ref: RunRef });

/**
 * The production `JobQueue` on BullMQ. Job data is parsed with its schema before it is added,
 * ids are checked against BullMQ's rules, and adding an id that exists is a no-op (BullMQ then
 * returns a Job carrying the new data, not what is stored, so nothing here reads it back).
 */
export function createBullmqJobQueue(options: BullmqJobQueueOptions): BullmqJobQueue {
  const queues: Record<QueueName, Queue> = {
    events: newQueue(options, QUEUE_NAMES.events),
    phases: newQueue(options, QUEUE_NAMES.phases),
  };
  const flows = new FlowProducer({
    connection: options.connection,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  });
  const phaseJobOptions = { ...DEFAULT_JOB_OPTIONS.phases, ...options.jobOptions?.phases };
  const clients: Array<[string, { on(event: 'error', listener: (error: Error) => void): unknown }]> = [
    ['events', queues.events],
    ['phases', queues.phases],
    ['flows', flows],
  ];
  for (const [name, client] of clients) {
    if (options.log !== undefined) logRedisErrors(client, options.log, `queue:${name}`);
    else client.on('error', () => undefined);
  }

  /**
   * A stage with parallel parts as one flow: the parts are children (their failures do not block
   * the parent, which reports them), the parent commits. A flow re-adds children whatever exists,
   * so the parent's id is looked up first; enqueues of one run are serialised by the events worker.
   */
  async function addStageFlow(data: StageJob, parts: readonly string[]): Promise<void> {
    if ((await queues.phases.getJob(data.jobId)) !== undefined) return;
    await flows.add({
      name: JOB_NAMES.stageFlow,
      queueName: QUEUE_NAMES.phases,
      data,
      opts: { ...phaseJobOptions, jobId: data.jobId },
      children: parts.map((agent) => {
        const part: StagePartJob = { job: data, agent };
        const jobId = stagePartJobId(data.jobId, agent);
        assertJobId(jobId);
        return {
          name: JOB_NAMES.stagePart,
          queueName: QUEUE_NAMES.phases,
          data: part,
          opts: { ...phaseJobOptions, jobId, ignoreDependencyOnFailure: true },
        };
      }),
    });
  }

  /**
   * Adds an event job in one round trip to Redis in the usual case (a new id), so a webhook is
   * answered after one wait, not two.
   *
   * BullMQ ignores an add under an id that exists, finished jobs included, so an id that finished
   * the wrong way would block its work forever. An event job that failed for good (attempts spent,
   * or stalled past the limit by crashed workers) is removed and added again so it can come back
   * (e.g. the PR-link event, queued again by the next status update); so is a finished run event (a
   * stage's result, which an earlier copy may have found the run unable to take, say rebuilt behind
   * it), since the run applies each event id once. Deliveries stay deduplicated by their finished
   * job. The look-up of the finished sets and the add go out together: the add leaves a finished job
   * as it is, so the look-up sees the same whichever Redis runs first.
   */
  async function addEvent(
    jobId: string,
    data: EventJob,
    enqueueOptions: { delayMs?: number; coalesceKey?: string },
  ): Promise<void> {
    // The queue's own connection (BullMQ's escape hatch to the Redis client).
    const client = await queues.events.getBackend().client;
    const addOnce = () =>
      add(
        QUEUE_NAMES.events,
        JOB_NAMES.event,
        jobId,
        data,
        enqueueOptions.delayMs,
        enqueueOptions.coalesceKey,
      );
    // One write for both look-ups (a pipeline), then BullMQ's add: two writes, one wait.
    const lookUp = client
      .pipeline()
      .runCommand('zscore', [queues.events.toKey('failed'), jobId])
      .runCommand('zscore', [queues.events.toKey('completed'), jobId])
      .exec();
    const [replies] = await Promise.all([lookUp, addOnce()]);
    if (replies === null)
      throw new ExternalServiceError(`Redis gave no reply to the look-up of event job ${jobId}`);
    const [failed, completed] = replies.map(([error, score]) => {
      if (error !== null) throw error;
      return score !== null;
    });
    if (failed === true || (completed === true && data.kind === 'run_event')) {
      await queues.events.remove(jobId);
      await addOnce();
    }
  }

  /**
   * A stage job that did not do its work (it failed, or found its run no longer wanted it and was
   * skipped) is removed so the run can ask for it again: after a rebuild from the status comment,
   * the same attempt may be wanted again. A stage that ran to its result stays and blocks a second
   * run of the same attempt (that would pay for it twice).
   */
  async function dropUnfinishedStage(jobId: string): Promise<void> {
    const state = await queues.phases.getJobState(jobId);
    if (state !== 'failed' && state !== 'completed') return;
    if (state === 'completed') {
      const job = await queues.phases.getJob(jobId);
      if (!STAGE_NOT_RUN.has(String(job?.returnvalue))) return;
    }
    await queues.phases.remove(jobId, { removeChildren: true });
  }

  async function add(
    queue: QueueName,
    name: JobName,
    jobId: string,
    data: unknown,
    delayMs = 0,
    coalesceKey?: string,
  ): Promise<void> {
    await queues[queue].add(name, data, {
      jobId,
      ...(delayMs > 0 ? { delay: delayMs } : {}),
      // BullMQ's deduplication: one job of the key waits at most; one added while it runs is kept
      // and queued when it ends (`keepLastIfActive`), so two never run at once and none is lost.
      ...(coalesceKey === undefined ? {} : { deduplication: { id: coalesceKey, keepLastIfActive: true } }),
    });
  }

  return {
    async enqueueEvent(jobId, job, enqueueOptions = {}) {
      assertJobId(jobId);
      const data = parseJobData(EventJob, job, jobId);
      if (enqueueOptions.coalesceKey !== undefined) assertJobId(enqueueOptions.coalesceKey);
      await addEvent(jobId, data, enqueueOptions);
    },
    async enqueueStage(job) {
      assertJobId(job.jobId);
      const data = parseJobData(StageJob, job, job.jobId);
      await dropUnfinishedStage(data.jobId);
      const parts = partsOf(data.stage);
      if (parts !== null) await addStageFlow(data, parts);
      else await add(QUEUE_NAMES.phases, JOB_NAMES.stage, data.jobId, data);
    },
    async enqueueVerification(job) {
      assertJobId(job.jobId);
      const data = parseJobData(VerificationJob, job, job.jobId);
      await add(QUEUE_NAMES.phases, JOB_NAMES.verification, data.jobId, data);
    },
    async enqueueSelfReview(job) {
      assertJobId(job.jobId);
      const data = parseJobData(SelfReviewJob, job, job.jobId);
      await add(QUEUE_NAMES.phases, JOB_NAMES.selfReview, data.jobId, data);
    },
    async cancelRunJobs(ref) {
      let removed = 0;
      for (const name of Object.values(QUEUE_NAMES)) {
        const ids = await findRunJobIds(queues[name], CANCELLABLE[name], ref);
        // `remove` returns 0 for a job that became active meanwhile: it finishes, its result is ignored.
        for (const id of ids) removed += await queues[name].remove(id);
      }
      return removed;
    },
    async close() {
      await Promise.all([...Object.values(queues).map((queue) => queue.close()), flows.close()]);
    },
  };
}

function newQueue(options: BullmqJobQueueOptions, name: QueueName): Queue {
  return new Queue(name, {
    connection: options.connection,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    defaultJobOptions: { ...DEFAULT_JOB_OPTIONS[name], ...options.jobOptions?.[name] },
  });
}

/** Ids of the jobs in `types` whose data names `ref`; listed fully before anything is removed. */
async function findRunJobIds(queue: Queue, types: JobType[], ref: RunRef): Promise<string[]> {
  const ids: string[] = [];
  for (const type of types) {
    for (let start = 0; ; start += PAGE_SIZE) {
      const jobs = await queue.getJobs(type, start, start + PAGE_SIZE - 1, true);
      for (const job of jobs) {
        // `getJobs` may yield `undefined` for a job removed between listing and reading it.
        if (job?.id === undefined) continue;
        const parsed = WithRef.safeParse(job.data);
        if (parsed.success && isSameRun(parsed.data.ref, ref)) ids.push(job.id);
      }
      if (jobs.length < PAGE_SIZE) break;
    }
  }
  return ids;
}
