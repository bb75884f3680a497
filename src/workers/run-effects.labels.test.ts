import { describe, expect, it } from 'vitest';
import { InMemoryGitHub } from '../../test/fakes/in-memory-github.js';
import { RecordingJobQueue } from '../../test/fakes/recording-job-queue.js';
import { REF, runAtGate } from '../../test/helpers/pipeline.js';
import { repoAccessOf } from '../../test/helpers/repo-access.js';
import { createLogger } from '../logging.js';
import { runEffects } from './run-effects.js';
import type { WorkerDeps } from './worker-deps.js';

describe('set_labels', () => {
  it('labels the open PR even when the run has not been told its number yet', async () => {
    const github = new InMemoryGitHub();
    const run = { ...runAtGate('research'), pullRequest: null };
    const pr = await github.ensurePullRequest({ branch: run.branch, title: 't', body: 'b', labels: [] });
    const deps = {
      github: () => github,
      access: repoAccessOf(github),
      jobs: new RecordingJobQueue(),
      clock: { now: () => new Date() },
      log: createLogger({ level: 'silent' }),
    } as unknown as WorkerDeps;

    await runEffects(deps, { ref: REF, run }, [
      { type: 'set_labels', add: ['needs-live-testing'], remove: [] },
    ]);

    expect([...(github.labels.get(pr.number) ?? [])]).toEqual(['needs-live-testing']);
  });
});
