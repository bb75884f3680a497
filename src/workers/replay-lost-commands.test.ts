import { describe, expect, it } from 'vitest';
import { InMemoryGitHub } from '../../test/fakes/in-memory-github.js';
import { RecordingJobQueue } from '../../test/fakes/recording-job-queue.js';
import { newRun } from '../../test/helpers/pipeline.js';
import { repoAccessOf } from '../../test/helpers/repo-access.js';
import { REPO_CONFIG_PATH } from '../config/repo-config.js';
import { createLogger } from '../logging.js';
import { replayLostCommands } from './replay-lost-commands.js';
import type { WorkerDeps } from './worker-deps.js';

/** A rebuilt run with a bare and a prefixed `/approve` from a maintainer written after its marker. */
function setting(options: { config?: string; operator?: boolean } = {}) {
  const github = new InMemoryGitHub();
  if (options.config !== undefined) github.files.set(REPO_CONFIG_PATH, options.config);
  github.permissions.set('maintainer', 'write');
  const run = newRun();
  const at = (seconds: number) => new Date(Date.parse(run.updatedAt) + seconds * 1000).toISOString();
  const bare = github.addPersonComment({ body: '/approve', author: 'maintainer', createdAt: at(2) });
  const prefixed = github.addPersonComment({
    body: '/lakeflow approve',
    author: 'maintainer',
    createdAt: at(4),
  });
  const jobs = new RecordingJobQueue();
  const deps = {
    github: () => github,
    access: repoAccessOf(github),
    jobs,
    log: createLogger({ level: 'silent' }),
    ...(options.operator === undefined ? {} : { requireCommandPrefix: options.operator }),
  } as unknown as WorkerDeps;
  return {
    deps,
    run,
    jobs,
    ids: { bare: `command-comment-${bare.id}`, prefixed: `command-comment-${prefixed.id}` },
  };
}

describe('replayLostCommands', () => {
  it('queues bare and prefixed commands again where the prefix is not required', async () => {
    const { deps, run, jobs, ids } = setting();

    expect(await replayLostCommands(deps, run, null)).toBe(2);

    expect([...jobs.events.keys()]).toEqual([ids.bare, ids.prefixed]);
  });

  it.each([
    ['the repository requires the prefix', { config: 'commands:\n  requirePrefix: true\n' }],
    ['the operator requires it', { config: 'commands:\n  requirePrefix: false\n', operator: true }],
  ])('queues only the prefixed command where %s: the bare one is another bot’s', async (_where, options) => {
    const { deps, run, jobs, ids } = setting(options);

    expect(await replayLostCommands(deps, run, null)).toBe(1);

    expect([...jobs.events.keys()]).toEqual([ids.prefixed]);
  });
});
