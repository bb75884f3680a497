import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_CONFIG_PATH } from '../../src/config/repo-config.js';
import type { Run } from '../../src/domain/pipeline/run.js';
import { markBody } from '../../src/domain/render/markers.js';
import { renderStatusComment } from '../../src/domain/render/status-comment.js';
import { ScriptedStageRunner } from '../fakes/scripted-stage-runner.js';
import { approve, drive, newRun, REF, runAtGate } from '../helpers/pipeline.js';
import { uniquePrefix } from '../helpers/redis.js';
import { createWorkerHarness, type WorkerHarness, waitFor } from '../helpers/worker-harness.js';

/**
 * Redis lost a run mid-stage (its stored state and its queued stage job): the next event for the
 * run rebuilds it from the status comment and queues the stage's job again, so the run reaches its
 * gate without anyone's help.
 */
/** The bot's status comment for `run`, with its state marker: all GitHub remembers of the run. */
async function postStatusComment(harness: WorkerHarness, run: Run): Promise<void> {
  await harness.github.upsertComment({
    issue: REF.issue,
    key: 'status',
    body: markBody('status', renderStatusComment(run)),
  });
}

/** Waits for the run to stand at a gate with its effects carried out. */
function atTheGate(harness: WorkerHarness) {
  return waitFor(
    async () => {
      const stored = await harness.load(REF);
      return stored?.run.status.kind === 'awaiting_approval' && stored.outbox === null ? stored : null;
    },
    20_000,
    'the research gate',
  );
}

describe('a run rebuilt while a stage was in flight', () => {
  let harness: WorkerHarness;

  beforeEach(() => {
    harness = createWorkerHarness(uniquePrefix());
  });

  afterEach(async () => {
    await harness.close();
  });

  it.each([
    ['a stray event for the run', 'run_event'],
    ["the Redis loss watch's rebuild job", 'rebuild'],
  ] as const)('on %s, queues the running stage again and goes on to its gate', async (_what, trigger) => {
    const { run } = drive(newRun(), approve());
    expect(run.status).toEqual({ kind: 'running', stage: 'research' });
    // Only GitHub remembers the run: the bot's status comment with its state marker.
    await postStatusComment(harness, run);
    expect(await harness.load(REF)).toBeNull();

    harness.startWorkers();
    const stray = {
      type: 'verification_completed',
      id: 'stray',
      headSha: 'f'.repeat(40),
      ok: true,
      message: null,
    } as const;
    await harness.jobs.enqueueEvent(
      'after-the-wipe',
      trigger === 'rebuild' ? { kind: 'rebuild', ref: REF } : { kind: 'run_event', ref: REF, event: stray },
    );

    const atGate = await atTheGate(harness);
    expect(harness.stages.runs.map((job) => job.jobId)).toEqual(['acme-connectors-42-b1-research-a1']);
    expect(atGate.run.batch.stages.research).toMatchObject({ state: 'done', attempt: 1 });
  });

  it("applies a maintainer's command written after the rebuilt point, whose job Redis lost, and only that", async () => {
    const run = newRun();
    expect(run.status.kind).toBe('awaiting_plan_approval');
    await postStatusComment(harness, run);
    const since = Date.parse(run.updatedAt);
    const at = (seconds: number) => new Date(since + seconds * 1000).toISOString();
    harness.github.permissions.set('maintainer', 'write');
    harness.github.permissions.set('passer-by', 'read');
    harness.github.addPersonComment({ body: '/approve', author: 'maintainer', createdAt: at(0) });
    harness.github.addPersonComment({ body: '/approve', author: 'passer-by', createdAt: at(3) });
    const lost = harness.github.addPersonComment({
      body: '/approve',
      author: 'maintainer',
      createdAt: at(5),
    });
    harness.startWorkers();

    await harness.jobs.enqueueEvent('after-the-wipe', {
      kind: 'run_event',
      ref: REF,
      event: {
        type: 'verification_completed',
        id: 'stray',
        headSha: 'f'.repeat(40),
        ok: true,
        message: null,
      },
    });

    const atGate = await atTheGate(harness);
    expect(harness.stages.runs.map((job) => job.jobId)).toEqual(['acme-connectors-42-b1-research-a1']);
    expect(atGate.appliedEventIds).toContain(`command-comment-${lost.id}`);
    expect(atGate.appliedEventIds.filter((id) => id.startsWith('command-comment-'))).toHaveLength(1);
  });

  it('replays a /lakeflow command where the repository requires the prefix, and writes commands that way', async () => {
    harness.github.files.set(REPO_CONFIG_PATH, 'commands:\n  requirePrefix: true\n');
    const run = newRun();
    await postStatusComment(harness, run);
    harness.github.permissions.set('maintainer', 'write');
    const lost = harness.github.addPersonComment({
      body: '/lakeflow approve',
      author: 'maintainer',
      createdAt: new Date(Date.parse(run.updatedAt) + 3_000).toISOString(),
    });
    harness.startWorkers();

    await harness.jobs.enqueueEvent('after-the-wipe', {
      kind: 'run_event',
      ref: REF,
      event: {
        type: 'verification_completed',
        id: 'stray',
        headSha: 'f'.repeat(40),
        ok: true,
        message: null,
      },
    });

    const atGate = await atTheGate(harness);
    expect(atGate.appliedEventIds).toContain(`command-comment-${lost.id}`);
    const status = harness.github.comments.find((comment) => comment.key === 'status');
    expect(status?.body).toContain('`/lakeflow approve`');
    expect(status?.body).not.toMatch(/`\/approve`/);
  });

  it('reads an issue edit after the wipe against the rebuilt run, never as a new plan', async () => {
    const { run } = drive(newRun(), approve());
    await postStatusComment(harness, run);
    harness.startWorkers();

    await harness.jobs.enqueueEvent('edit-after-the-wipe', {
      kind: 'issue_request',
      ref: REF,
      repoUrl: 'https://github.com/acme/connectors',
      action: 'edited',
      body: '### Source name\n\nacme_crm\n\n### API documentation links\n\nhttps://docs.acme.example\n\n### Tables of interest\n\ninvoices\n\n### Notes\n\n_No response_\n',
    });

    const stored = await waitFor(
      async () =>
        harness.github.comments.some((comment) => comment.body.includes('already approved'))
          ? harness.load(REF)
          : null,
      20_000,
      'the reply to the edit',
    );
    expect(stored?.run.batch.stages.research.attempt).toBe(1);
    expect(stored?.run.batch.tables).toEqual(['contacts', 'deals']);
    expect(harness.github.comments.filter((comment) => comment.key === 'plan')).toEqual([]);
  });

  it('takes the result of a stage job that finished after the run was rebuilt behind it, when it asks for that attempt', async () => {
    const lagging = runAtGate('research');
    await harness.close();
    // The auth job of the lost run finishes just after the run was rebuilt from a status comment
    // written before that job was queued (at the research gate).
    const stages = new ScriptedStageRunner(async (job) => {
      if (job.stage !== 'auth') return undefined;
      const stored = await harness.load(REF);
      if (stored === null) throw new Error('the run is gone');
      await harness.deps.store.save(REF, { run: lagging, outbox: null, appliedEventIds: [] }, stored.version);
      return undefined;
    });
    harness = createWorkerHarness(uniquePrefix(), { stages });
    await postStatusComment(harness, lagging);
    harness.startWorkers();

    await harness.jobs.enqueueEvent('approve-before-the-wipe', {
      kind: 'run_event',
      ref: REF,
      event: approve(),
    });
    const rebuiltBehind = await waitFor(
      async () => {
        const stored = await harness.load(REF);
        return stored !== null &&
          stored.outbox === null &&
          stored.run.status.kind === 'awaiting_approval' &&
          (stored.run.heldResults ?? []).length > 0
          ? stored
          : null;
      },
      20_000,
      'the lagging run holding the auth result',
    );
    expect(rebuiltBehind.run.status).toMatchObject({ gate: { kind: 'stage', stage: 'research' } });

    await harness.jobs.enqueueEvent('approve-after-the-wipe', {
      kind: 'run_event',
      ref: REF,
      event: approve(),
    });
    const atCredentials = await waitFor(
      async () => {
        const stored = await harness.load(REF);
        return stored?.outbox === null && stored.run.status.kind === 'awaiting_credentials' ? stored : null;
      },
      20_000,
      'the credentials gate',
    );
    expect(harness.stages.runs.map((job) => job.jobId)).toEqual(['acme-connectors-42-b1-auth-a1']);
    expect(atCredentials.run.batch.stages.auth).toMatchObject({ state: 'done', attempt: 1 });
    expect(atCredentials.run.heldResults ?? []).toEqual([]);
  });
});
