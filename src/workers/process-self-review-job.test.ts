import { describe, expect, it } from 'vitest';
import { InMemoryGitHub } from '../../test/fakes/in-memory-github.js';
import { InMemoryRunStore } from '../../test/fakes/in-memory-run-store.js';
import { modelChecks, reviewed, ScriptedSelfReviewer } from '../../test/fakes/scripted-self-reviewer.js';
import { ScriptedStageRunner } from '../../test/fakes/scripted-stage-runner.js';
import { unavailableCi } from '../../test/fakes/unavailable-ci.js';
import { approve, ciDone, drive, newRun, REF, runAtGate, succeeded } from '../../test/helpers/pipeline.js';
import { repoAccessOf } from '../../test/helpers/repo-access.js';
import { createInMemoryJobQueue } from '../adapters/queue/in-memory-job-queue.js';
import { attemptsFor } from '../adapters/queue/queues.js';
import type { SelfReviewJob } from '../domain/pipeline/jobs.js';
import type { Run } from '../domain/pipeline/run.js';
import { DEFAULT_RUN_SETTINGS } from '../domain/pipeline/settings.js';
import { ExternalServiceError, InvariantError } from '../errors.js';
import { createLogger } from '../logging.js';
import { processEventJob } from './process-event-job.js';
import { processSelfReviewJob } from './process-self-review-job.js';
import type { WorkerDeps } from './worker-deps.js';

const PR = 57;
const LABEL = 'connector-self-reviewed';

/** A packaged run on PR #57, saved, and the self-review job its last transition queued. */
async function setUp(reviewer: ScriptedSelfReviewer, options: { deferred?: string[] } = {}) {
  const start = runAtGate('docs_spec', newRun({ tables: ['contacts'] }), options.deferred ?? []);
  const { run, effects } = drive(
    start,
    { type: 'pull_request_linked', id: 'pr', number: PR },
    approve(),
    (r) => succeeded(r),
    (r) => ciDone(r, 'success'),
  );
  const effect = effects.find((candidate) => candidate.type === 'enqueue_self_review');
  if (effect?.type !== 'enqueue_self_review') throw new Error('expected a self-review to be queued');
  const github = new InMemoryGitHub();
  const store = new InMemoryRunStore();
  await store.save(REF, { run, outbox: null, appliedEventIds: [] }, 0);
  const jobs = createInMemoryJobQueue();
  const deps: WorkerDeps = {
    store,
    jobs,
    github: () => github,
    ci: unavailableCi,
    stages: new ScriptedStageRunner(),
    selfReviewer: reviewer,
    settings: async () => DEFAULT_RUN_SETTINGS,
    access: repoAccessOf(github),
    clock: { now: () => new Date('2026-11-25T12:00:00Z') },
    log: createLogger({ level: 'silent' }),
  };
  const signal = new AbortController().signal;
  jobs.process({
    event: async (job, context) => void (await processEventJob(deps, context.jobId, job)),
    stage: () => Promise.reject(new InvariantError('no stage in this test')),
    verification: () => Promise.reject(new InvariantError('no stage in this test')),
    selfReview: async (job, context) =>
      void (await processSelfReviewJob(deps, job, {
        signal,
        isFinalAttempt: context.attemptsMade + 1 >= attemptsFor('phases'),
      })),
  });
  return { run, job: effect.job, github, store, jobs };
}

function stickyComments(github: InMemoryGitHub) {
  return github.comments.filter((comment) => comment.key === 'self-review');
}

describe('processSelfReviewJob on the in-memory queue', () => {
  it('posts one sticky comment on the PR and adds the label on a passing review', async () => {
    const reviewer = new ScriptedSelfReviewer().answer(reviewed(modelChecks({ B11: 'fail', B12: 'fail' })));
    const { job, github, jobs } = await setUp(reviewer);

    await jobs.enqueueSelfReview(job);
    await jobs.drain();

    expect(reviewer.jobs.map((seen) => seen.headSha)).toEqual([job.headSha]);
    const [comment, ...more] = stickyComments(github);
    expect(more).toEqual([]);
    expect(comment?.issue).toBe(PR);
    expect(comment?.body.split('\n').slice(0, 3)).toEqual([
      '<!-- lakeflow-connector-bot:self-review -->',
      '<!-- connector-self-review:acme_crm -->',
      '### Self-review of `acme_crm`: READY (94/100)',
    ]);
    expect([...(github.labels.get(PR) ?? [])]).toEqual([LABEL]);
    expect(jobs.failed()).toEqual([]);
  });

  it("lets the bot's file check fail a BLOCKER the model passed, and removes the label", async () => {
    const bot = [
      { id: 'A13', result: 'fail' as const, finding: 'No DataSource.', citation: 'x/__init__.py' },
    ];
    const reviewer = new ScriptedSelfReviewer().answer(reviewed(modelChecks(), bot));
    const { job, github, jobs } = await setUp(reviewer);
    github.labels.set(PR, new Set([LABEL, 'needs-live-testing']));

    await jobs.enqueueSelfReview(job);
    await jobs.drain();

    expect(stickyComments(github)[0]?.body).toContain('NOT READY (90/100)');
    expect([...(github.labels.get(PR) ?? [])]).toEqual(['needs-live-testing']);
  });

  it('reports a review job that keeps crashing in the sticky comment instead of hanging', async () => {
    const outage = new ExternalServiceError('Anthropic API returned 529');
    const reviewer = new ScriptedSelfReviewer().answer(outage, outage, outage);
    const { job, github, jobs } = await setUp(reviewer);

    await jobs.enqueueSelfReview(job);
    await jobs.drain();

    expect(reviewer.jobs).toHaveLength(3);
    expect(jobs.failed().map((failed) => failed.jobId)).toEqual([job.jobId]);
    const body = stickyComments(github)[0]?.body ?? '';
    expect(body).toContain('not completed');
    expect(body).toContain('ExternalServiceError: Anthropic API returned 529');
    expect(github.labels.get(PR)?.has(LABEL) ?? false).toBe(false);
  });

  it('edits the same comment when a later review of a new head comes back', async () => {
    const reviewer = new ScriptedSelfReviewer().answer(
      reviewed(modelChecks({ C10: 'fail' })),
      reviewed(modelChecks()),
    );
    const { job, github, jobs, store } = await setUp(reviewer);
    await jobs.enqueueSelfReview(job);
    await jobs.drain();
    const stored = await store.load(REF);
    if (stored === null) throw new Error('run is gone');
    const newHead = 'f'.repeat(40);
    const moved: Run = {
      ...stored.run,
      batch: {
        ...stored.run.batch,
        stages: {
          ...stored.run.batch.stages,
          package: { ...stored.run.batch.stages.package, commitSha: newHead },
        },
      },
    };
    await store.save(REF, { ...stored, run: moved }, stored.version);

    const second: SelfReviewJob = { ...job, jobId: `${job.jobId}-again`, headSha: newHead };
    await jobs.enqueueSelfReview(second);
    await jobs.drain();

    const comments = stickyComments(github);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.edits).toBe(1);
    expect(comments[0]?.body).toContain('READY (100/100)');
    expect([...(github.labels.get(PR) ?? [])]).toEqual([LABEL]);
  });

  it('skips a review whose head the run has moved past, without calling the reviewer', async () => {
    const reviewer = new ScriptedSelfReviewer();
    const { job, github, jobs } = await setUp(reviewer);

    await jobs.enqueueSelfReview({ ...job, headSha: 'e'.repeat(40), jobId: 'old-head' });
    await jobs.drain();

    expect(reviewer.jobs).toEqual([]);
    expect(stickyComments(github)).toEqual([]);
  });

  it('refuses a job with bad data for good, naming the problem', async () => {
    const { jobs } = await setUp(new ScriptedSelfReviewer());
    const deps = { log: createLogger({ level: 'silent' }) } as unknown as WorkerDeps;

    await expect(
      processSelfReviewJob(
        deps,
        { jobId: 'x' },
        { signal: new AbortController().signal, isFinalAttempt: true },
      ),
    ).rejects.toThrow(/Self-review job has invalid data/);
    expect(jobs.failed()).toEqual([]);
  });
});
