import { join } from 'node:path';
import { createAnthropicModel } from '../../adapters/anthropic/anthropic-model.js';
import { createCachedRepoAccess } from '../../adapters/github/cached-repo-access.js';
import { createFileRunStore } from '../../adapters/local/file-run-store.js';
import type { GitCheckout } from '../../adapters/local/git-objects.js';
import { createJournaledJobQueue, type JournaledJobQueue } from '../../adapters/local/journaled-job-queue.js';
import { createLocalCi } from '../../adapters/local/local-ci.js';
import { createLocalGitGitHub, type LocalNotice } from '../../adapters/local/local-git-github.js';
import { createInMemoryJobQueue } from '../../adapters/queue/in-memory-job-queue.js';
import { attemptsFor } from '../../adapters/queue/queues.js';
import { createAgentSelfReviewer } from '../../agent-runtime/agent-self-reviewer.js';
import { createAgentStageRunner } from '../../agent-runtime/agent-stage-runner.js';
import { loadAgents } from '../../config/load-agents.js';
import { loadRepoConfig } from '../../config/load-repo-config.js';
import { toRunSettings } from '../../config/repo-config.js';
import type { RunRef } from '../../domain/pipeline/run.js';
import { ConfigError } from '../../errors.js';
import { createLogger } from '../../logging.js';
import { systemClock } from '../../ports/clock.js';
import type { JobQueue } from '../../ports/job-queue.js';
import { processEventJob } from '../../workers/process-event-job.js';
import { processSelfReviewJob } from '../../workers/process-self-review-job.js';
import { processStageJob, processVerificationJob } from '../../workers/process-stage-job.js';
import type { WorkerDeps } from '../../workers/worker-deps.js';
import { PACKAGE_ROOT } from '../package-root.js';
import type { RunEnv } from './run-options.js';
import { TERMINAL_COMMENTS } from './terminal/terminal-comments.js';

/** Everything one `run` process works with. */
export interface LocalSession {
  deps: WorkerDeps;
  jobs: JournaledJobQueue;
  store: ReturnType<typeof createFileRunStore>;
  github: ReturnType<typeof createLocalGitGitHub>;
  /** Aborted on Ctrl-C: the running stage stops, and no further job starts. */
  stop: AbortController;
}

/** The repository every local run belongs to: installation 1, owner `local`, the checkout's folder name. */
export function localRepoRef(checkout: GitCheckout): Pick<RunRef, 'installationId' | 'owner' | 'repo'> {
  const name = checkout.dir.split(/[\\/]/).filter(Boolean).pop() ?? 'checkout';
  return {
    installationId: 1,
    owner: 'local',
    repo: name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'checkout',
  };
}

/**
 * Wires the events and stage workers exactly as the bot runs them, on local ports: the file run
 * store and the job journal under `.git/lakeflow-connector-bot/`, the local git GitHub, the local CI
 * for `ref`, the real agent runtime on the Anthropic model, and comments written for the terminal
 * (`terminal/`). `onEvent` runs after every applied
 * event (the progress lines).
 */
export async function buildLocalSession(params: {
  checkout: GitCheckout;
  ref: RunRef;
  base: string;
  env: RunEnv;
  notify: (notice: LocalNotice) => void;
  onEvent: () => Promise<void>;
}): Promise<LocalSession> {
  const { checkout, env } = params;
  const agentsDir = env.AGENTS_DIR ?? join(PACKAGE_ROOT, 'agents');
  const agents = await loadAgents(agentsDir);
  if (agents.size === 0)
    throw new ConfigError(`No agent files in ${agentsDir}: every stage needs its agent.`);
  const stop = new AbortController();
  const repo = localRepoRef(checkout);
  const github = createLocalGitGitHub({ checkout, repo, base: params.base, notify: params.notify });
  const store = createFileRunStore(join(checkout.stateDir, 'runs'));
  const jobs = createJournaledJobQueue({
    dir: join(checkout.stateDir, 'jobs'),
    inner: createInMemoryJobQueue(),
    isStopping: () => stop.signal.aborted,
  });
  const model = createAnthropicModel({
    apiKey: env.ANTHROPIC_API_KEY,
    ...(env.ANTHROPIC_BASE_URL === undefined ? {} : { baseURL: env.ANTHROPIC_BASE_URL }),
  });
  const runtime = { model, agents, github: () => github, prices: env.MODEL_PRICES, clock: systemClock };
  const ci = createLocalCi({ checkout, ref: params.ref });
  const log = createLogger({ level: env.LOG_LEVEL, destination: process.stderr });
  const deps: WorkerDeps = {
    store,
    jobs,
    github: () => github,
    ci: () => ci,
    settings: async (port) => toRunSettings(await loadRepoConfig(port)),
    access: createCachedRepoAccess({ github: () => github, loadConfig: loadRepoConfig, log }),
    comments: TERMINAL_COMMENTS,
    stages: createAgentStageRunner(runtime),
    selfReviewer: createAgentSelfReviewer(runtime),
    clock: systemClock,
    log,
  };
  // A job interrupted by Ctrl-C reports nothing: its journal entry stays, and --resume runs it again.
  const interruptible: WorkerDeps = { ...deps, jobs: silencedWhenStopped(jobs, stop.signal) };
  const finalAttempt = (attemptsMade: number) => attemptsMade + 1 >= attemptsFor('phases');
  jobs.process({
    event: async (job, context) => {
      await processEventJob(deps, context.jobId, job);
      await params.onEvent();
    },
    stage: async (job, context) => {
      await ignoreIfStopped(stop.signal, () =>
        processStageJob(interruptible, job, {
          signal: stop.signal,
          isFinalAttempt: finalAttempt(context.attemptsMade),
        }),
      );
    },
    verification: async (job) => {
      await processVerificationJob(deps, job);
    },
    selfReview: async (job, context) => {
      await ignoreIfStopped(stop.signal, () =>
        processSelfReviewJob(interruptible, job, {
          signal: stop.signal,
          isFinalAttempt: finalAttempt(context.attemptsMade),
        }),
      );
    },
  });
  return { deps, jobs, store, github, stop };
}

async function ignoreIfStopped(signal: AbortSignal, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

/** The queue as a job sees it once Ctrl-C was pressed: what it would report is dropped, not half-reported. */
function silencedWhenStopped(jobs: JobQueue, signal: AbortSignal): JobQueue {
  const unlessStopped =
    <A extends unknown[]>(enqueue: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      if (!signal.aborted) await enqueue(...args);
    };
  return {
    enqueueEvent: unlessStopped(jobs.enqueueEvent.bind(jobs)),
    enqueueStage: unlessStopped(jobs.enqueueStage.bind(jobs)),
    enqueueVerification: unlessStopped(jobs.enqueueVerification.bind(jobs)),
    enqueueSelfReview: unlessStopped(jobs.enqueueSelfReview.bind(jobs)),
    cancelRunJobs: (ref) => jobs.cancelRunJobs(ref),
  };
}
