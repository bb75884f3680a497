import { type Job, Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QUEUE_NAMES, queueConnectionOptions } from '../../src/adapters/queue/queues.js';
import { REPO_CONFIG_PATH } from '../../src/config/repo-config.js';
import type { RunRef } from '../../src/domain/pipeline/run.js';
import { ScriptedStageRunner } from '../fakes/scripted-stage-runner.js';
import { redisUrl, uniquePrefix } from '../helpers/redis.js';
import {
  createWorkerHarness,
  issueFormBody,
  type WorkerHarness,
  waitFor,
} from '../helpers/worker-harness.js';

const REF: RunRef = { installationId: 7, owner: 'acme', repo: 'connectors', issue: 42 };
const REPO_URL = 'https://github.com/acme/connectors';
/** Long enough that no refresh runs by itself in a test: each one is promoted when the test says. */
const DELAY_MS = 10 * 60_000;

/**
 * The dashboard issue through the real run store, BullMQ queue and workers on Redis, with the
 * in-memory GitHub: refreshes wait on the delayed queue, coalesced per repository, until promoted.
 */
describe('the dashboard issue', () => {
  let harness: WorkerHarness;
  let events: Queue;

  beforeEach(() => {
    const prefix = uniquePrefix();
    harness = createWorkerHarness(prefix, { dashboardDelayMs: DELAY_MS });
    events = new Queue(QUEUE_NAMES.events, { connection: queueConnectionOptions(redisUrl()), prefix });
  });

  afterEach(async () => {
    await events.close();
    await harness.close();
  });

  function openIssue(issue: number, source: string) {
    return harness.jobs.enqueueEvent(`delivery-open-${issue}`, {
      kind: 'issue_request',
      ref: { ...REF, issue },
      repoUrl: REPO_URL,
      action: 'opened',
      body: issueFormBody(source),
    });
  }

  function approve(issue: number) {
    return harness.jobs.enqueueEvent(`delivery-approve-${issue}`, {
      kind: 'command',
      ref: { ...REF, issue },
      id: `delivery-approve-${issue}`,
      command: { type: 'approve' },
      actor: 'maintainer',
      target: { kind: 'issue', number: issue },
      commentId: 9001,
      viaPullRequest: null,
    });
  }

  /** Waits until run `issue` is settled in `status` (its effects carried out, at a gate its PR linked). */
  function settled(issue: number, status: string) {
    return waitFor(
      async () => {
        const stored = await harness.load({ ...REF, issue });
        if (stored?.run.status.kind !== status || stored.outbox !== null) return null;
        return status === 'awaiting_approval' && stored.run.pullRequest === null ? null : stored;
      },
      15_000,
      `run #${issue} ${status}`,
    );
  }

  async function pendingRefreshes(): Promise<Job[]> {
    const delayed: Job[] = await events.getDelayed();
    return delayed.filter((job) => job.data?.kind === 'dashboard');
  }

  /** Runs the one pending refresh now and returns what it did. */
  async function runPendingRefresh(): Promise<string> {
    const [pending, ...more] = await pendingRefreshes();
    expect(more).toEqual([]);
    if (pending?.id === undefined) throw new Error('no dashboard refresh is pending');
    await pending.promote();
    const id = pending.id;
    return waitFor(
      async () =>
        (await events.getJobState(id)) === 'completed' ? (await events.getJob(id))?.returnvalue : null,
      15_000,
      'the dashboard refresh',
    );
  }

  it('is opened for the first run, then edited in place, once for a burst of changes', async () => {
    harness.startWorkers();
    await openIssue(42, 'acme_crm');
    await settled(42, 'awaiting_plan_approval');

    expect(harness.github.issues).toEqual([]);
    expect(await runPendingRefresh()).toBe('dashboard_created');
    const [dashboard] = harness.github.issues;
    expect(harness.github.issues).toHaveLength(1);
    expect(dashboard?.title).toBe('Lakeflow connector runs');
    expect(dashboard?.body).toMatch(/^<!-- lakeflow-connector-bot:dashboard -->\n/);
    expect(dashboard?.body).toContain(
      '| [#42](https://github.com/acme/connectors/issues/42) | `acme_crm` | ⏸ waiting for `/approve` of the plan | plan |',
    );

    // The plan approved: running, the stage's result, the PR opened and linked, the research gate.
    await approve(42);
    const atGate = await settled(42, 'awaiting_approval');
    await openIssue(43, 'other_crm');
    await settled(43, 'awaiting_plan_approval');

    expect(await runPendingRefresh()).toBe('dashboard_edited');
    expect(harness.github.issues).toHaveLength(1);
    expect(harness.github.issues[0]?.edits).toBe(1);
    expect(harness.github.issues[0]?.body).toContain(
      '⏸ waiting for `/approve` after *research* | research · batch 1',
    );
    expect(harness.github.issues[0]?.body).toContain(
      `[#${atGate.run.pullRequest}](https://github.com/acme/connectors/pull/${atGate.run.pullRequest})`,
    );
    expect(harness.github.issues[0]?.body).toContain(
      '| [#43](https://github.com/acme/connectors/issues/43) |',
    );
    expect(await pendingRefreshes()).toEqual([]);
  });

  it('leaves the issue alone while someone has it closed, and writes nothing when nothing changed', async () => {
    harness.startWorkers();
    await openIssue(42, 'acme_crm');
    await settled(42, 'awaiting_plan_approval');
    await runPendingRefresh();
    const dashboard = harness.github.issues[0];
    if (dashboard === undefined) throw new Error('no dashboard');

    await harness.jobs.enqueueEvent('delivery-review', {
      kind: 'run_event',
      ref: REF,
      event: {
        type: 'review_feedback',
        id: 'review-1',
        author: 'maintainer',
        text: 'more tests',
        path: null,
      },
    });
    await waitFor(async () => (await harness.load(REF))?.run.feedback.length === 1, 10_000, 'the feedback');
    expect(await runPendingRefresh()).toBe('dashboard_unchanged');

    dashboard.open = false;
    await approve(42);
    await settled(42, 'awaiting_approval');
    expect(await runPendingRefresh()).toBe('dashboard_closed');

    expect(dashboard.edits).toBe(0);
    expect(harness.github.issues).toHaveLength(1);
  });

  it("asks for no refresh for a running stage's progress reports, only for its next real change", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await harness.close();
    harness = createWorkerHarness(uniquePrefix(), {
      dashboardDelayMs: DELAY_MS,
      stages: new ScriptedStageRunner(async () => {
        await held;
        return undefined;
      }),
    });
    await events.close();
    events = new Queue(QUEUE_NAMES.events, {
      connection: queueConnectionOptions(redisUrl()),
      prefix: harness.prefix,
    });
    harness.startWorkers();
    await openIssue(42, 'acme_crm');
    await settled(42, 'awaiting_plan_approval');
    await runPendingRefresh();
    await approve(42);
    await settled(42, 'running');
    expect(await runPendingRefresh()).toBe('dashboard_edited');

    try {
      for (const [index, costUsd] of [0.1, 0.2, 0.3].entries()) {
        await harness.jobs.enqueueEvent(`progress-${index}`, {
          kind: 'run_event',
          ref: REF,
          event: {
            type: 'stage_progress',
            id: `progress-${index}`,
            stage: 'research',
            batch: 1,
            attempt: 1,
            spentSoFar: {
              inputTokens: 10,
              outputTokens: 1,
              cacheReadTokens: 0,
              cacheWriteTokens: 0,
              costUsd,
            },
          },
        });
      }
      await waitFor(
        async () => (await harness.load(REF))?.run.batch.stages.research.live?.usage.costUsd === 0.3,
        10_000,
        'the progress reports',
      );
      expect(await pendingRefreshes()).toEqual([]);
    } finally {
      release();
    }

    await settled(42, 'awaiting_approval');
    expect(await runPendingRefresh()).toBe('dashboard_edited');
    expect(harness.github.issues[0]?.edits).toBe(2);
  });

  it('is never opened when the repository config turns it off', async () => {
    harness.github.files.set(REPO_CONFIG_PATH, 'dashboard: false\n');
    harness.startWorkers();
    await openIssue(42, 'acme_crm');
    await settled(42, 'awaiting_plan_approval');

    expect(await runPendingRefresh()).toBe('dashboard_disabled');
    expect(harness.github.issues).toEqual([]);
  });

  it('waits for a valid config file rather than guessing, and fails no job over it', async () => {
    harness.github.files.set(REPO_CONFIG_PATH, 'dashboard: maybe\n');
    harness.startWorkers();
    await openIssue(42, 'acme_crm');
    await settled(42, 'awaiting_plan_approval');

    expect(await runPendingRefresh()).toBe('dashboard_config_invalid');
    expect(harness.github.issues).toEqual([]);
  });
});
