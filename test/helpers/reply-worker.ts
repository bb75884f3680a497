import { DEFAULT_REPO_CONFIG } from '../../src/config/repo-config.js';
import type { Logger } from '../../src/logging.js';
import type { GitHubPort } from '../../src/ports/github.js';
import type { AccessSettings } from '../../src/ports/repo-access.js';
import { processEventJob } from '../../src/workers/process-event-job.js';
import type { WorkerDeps } from '../../src/workers/worker-deps.js';
import type { RecordingJobQueue } from '../fakes/recording-job-queue.js';

/** A comment the worker posted, without the marker line the bot puts first. */
export interface PostedReply {
  issue: number;
  key: string;
  body: string;
}

/**
 * An events worker for handler tests of jobs that need no run (replies, credential warnings): it
 * records the comments it posts, hides comments through `minimizeComment` when given, and reads
 * `settings()` as the repository's config. `work()` runs every queued job as the worker would.
 */
export function replyWorker(params: {
  jobs: RecordingJobQueue;
  log: Logger;
  settings: () => Partial<AccessSettings>;
  allowReply?: () => Promise<boolean>;
  minimizeComment?: (nodeId: string) => Promise<void>;
}) {
  const posted: PostedReply[] = [];
  const github = {
    minimizeComment: params.minimizeComment ?? (() => Promise.reject(new Error('cannot hide'))),
    upsertComment: async (comment: PostedReply) => {
      posted.push({ ...comment, body: comment.body.replace(/^<!--[^\n]*-->\n/, '') });
      return { id: posted.length, url: 'https://github.test/comment' };
    },
  } as unknown as GitHubPort;
  const worker = {
    github: () => github,
    access: {
      permission: async () => 'none',
      settings: async () => ({
        approvers: [],
        workflow: 'lakeflow-connector-tests.yml',
        environment: DEFAULT_REPO_CONFIG.environment,
        labels: DEFAULT_REPO_CONFIG.labels,
        commands: DEFAULT_REPO_CONFIG.commands,
        ...params.settings(),
      }),
    },
    ...(params.allowReply === undefined ? {} : { allowReply: params.allowReply }),
    log: params.log,
  } as unknown as WorkerDeps;
  return {
    posted,
    /** Runs the queued jobs through the events worker; returns their outcomes. */
    async work(): Promise<string[]> {
      const outcomes: string[] = [];
      for (const [id, job] of params.jobs.events) outcomes.push(await processEventJob(worker, id, job));
      return outcomes;
    },
  };
}
