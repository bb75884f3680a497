import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QUEUE_NAMES, queueConnectionOptions } from '../../src/adapters/queue/queues.js';
import { runLockKey } from '../../src/adapters/redis/redis-run-store.js';
import { loadRepoConfig } from '../../src/config/load-repo-config.js';
import { REPO_CONFIG_PATH, toRunSettings } from '../../src/config/repo-config.js';
import type { RunRef } from '../../src/domain/pipeline/run.js';
import { ConfigError, ExternalServiceError } from '../../src/errors.js';
import { approve, drive, failed, newRun, runAtGate, succeeded } from '../helpers/pipeline.js';
import { redisUrl, uniquePrefix } from '../helpers/redis.js';
import {
  createWorkerHarness,
  issueFormBody,
  type WorkerHarness,
  waitFor,
} from '../helpers/worker-harness.js';

const REF: RunRef = { installationId: 7, owner: 'acme', repo: 'connectors', issue: 42 };
const REPO_URL = 'https://github.com/acme/connectors';

function openIssue(harness: WorkerHarness, deliveryId: string, body = issueFormBody('acme_crm'), ref = REF) {
  return harness.jobs.enqueueEvent(deliveryId, {
    kind: 'issue_request',
    ref,
    repoUrl: REPO_URL,
    action: 'opened',
    body,
  });
}

function comment(
  harness: WorkerHarness,
  deliveryId: string,
  command: { type: 'approve' } | { type: 'status' },
) {
  return harness.jobs.enqueueEvent(deliveryId, {
    kind: 'command',
    ref: REF,
    id: deliveryId,
    command,
    actor: 'maintainer',
    target: { kind: 'issue', number: REF.issue },
    commentId: 9001,
    viaPullRequest: null,
  });
}

/** Makes the first upsert of a comment whose key matches fail with `status`; returns the count of failures. */
function failFirstComment(
  harness: WorkerHarness,
  matches: (key: string) => boolean,
  status: number,
): () => number {
  const upsert = harness.github.upsertComment.bind(harness.github);
  let failures = 0;
  harness.github.upsertComment = async (params) => {
    if (matches(params.key) && failures === 0) {
      failures += 1;
      throw new ExternalServiceError(`GitHub answered ${status}`);
    }
    return upsert(params);
  };
  return () => failures;
}

function statusOf(harness: WorkerHarness, ref = REF) {
  return async () => (await harness.load(ref))?.run.status.kind;
}

describe('events worker', () => {
  let harness: WorkerHarness;

  beforeEach(() => {
    harness = createWorkerHarness(uniquePrefix());
  });

  afterEach(async () => {
    await harness.close();
  });

  describe('when a connector issue is opened and approved', () => {
    it('posts the plan and status, then runs research to its gate with a draft PR', async () => {
      harness.startWorkers();

      await openIssue(harness, 'delivery-open');
      await waitFor(async () => (await statusOf(harness)()) === 'awaiting_plan_approval', 10_000, 'the plan');
      await comment(harness, 'delivery-approve', { type: 'approve' });
      const stored = await waitFor(
        async () => {
          const current = await harness.load(REF);
          return current?.run.status.kind === 'awaiting_approval' &&
            current.run.pullRequest !== null &&
            current.outbox === null
            ? current
            : null;
        },
        10_000,
        'the research gate',
      );

      expect(stored.run.status).toMatchObject({ gate: { kind: 'stage', stage: 'research' } });
      expect(harness.stages.runs.map((job) => job.jobId)).toEqual(['acme-connectors-42-b1-research-a1']);
      expect(harness.github.commentsWith('plan')).toHaveLength(1);
      expect(harness.github.commentsWith('status')).toHaveLength(1);
      expect(harness.github.commentsWith('summary-', stored.run.pullRequest ?? 0)).toHaveLength(1);
      expect(harness.github.pulls).toHaveLength(1);
      expect(harness.github.branches.get('lakeflow-connector/acme_crm')).toBeDefined();
    });
  });

  describe('when the source already exists in the repository', () => {
    it('plans an extension and says so in the plan', async () => {
      harness.github.existingPaths.add(
        'src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py',
      );
      harness.startWorkers();

      await openIssue(harness, 'delivery-open');
      const stored = await waitFor(async () => harness.load(REF), 10_000, 'the plan');
      await waitFor(async () => harness.github.commentsWith('plan').length > 0, 10_000, 'the plan comment');

      expect(stored.run.extension).toBe(true);
      expect(harness.github.commentsWith('plan')[0]?.body).toContain('already exists');
    });
  });

  describe('when the repository config moves the connector folders (paths.*)', () => {
    it('checks, plans and queues the stage with that layout', async () => {
      harness.github.files.set(
        REPO_CONFIG_PATH,
        'paths:\n  sources: connectors/sources\n  tests: connectors/tests\n  simulatorSpecs: connectors/sim\n',
      );
      harness.github.existingPaths.add('connectors/sources/acme_crm/acme_crm.py');
      harness.deps.settings = async (github) => toRunSettings(await loadRepoConfig(github));
      harness.startWorkers();

      await openIssue(harness, 'delivery-open');
      await waitFor(async () => (await statusOf(harness)()) === 'awaiting_plan_approval', 10_000, 'the plan');
      await comment(harness, 'delivery-approve', { type: 'approve' });
      await waitFor(async () => harness.stages.runs.length > 0, 10_000, 'the research job');
      const stored = await harness.load(REF);
      const plan = harness.github.commentsWith('plan')[0]?.body ?? '';

      expect(stored?.run.settings.layout).toEqual({
        sources: 'connectors/sources',
        tests: 'connectors/tests',
        simulatorSpecs: 'connectors/sim',
      });
      expect(stored?.run.extension).toBe(true);
      expect(plan).toContain('`connectors/sources/acme_crm/acme_crm_api_doc.md`');
      expect(plan).not.toContain('tests/unit/sources');
      expect(harness.stages.runs[0]?.layout).toEqual(stored?.run.settings.layout);
    });
  });

  describe('when the repository config is invalid', () => {
    it('quotes the problem on the issue and plans nothing until the issue is edited', async () => {
      harness.deps.settings = async () => {
        throw new ConfigError(
          'Invalid .github/lakeflow-connector-bot.yml:\n- budgets.runUsd: expected a positive number',
        );
      };
      harness.startWorkers();

      await openIssue(harness, 'delivery-open');
      await waitFor(
        async () => harness.github.commentsWith('reply-config-error').length > 0,
        10_000,
        'the comment',
      );

      expect(harness.github.commentsWith('reply-config-error')[0]?.body).toContain('budgets.runUsd');
      expect(await harness.load(REF)).toBeNull();
    });
  });

  describe('when an issue body does not parse', () => {
    it('posts one error comment and creates no run', async () => {
      harness.startWorkers();

      await openIssue(harness, 'delivery-bad', '### Source name\n\nAcme CRM\n');
      await waitFor(
        async () => harness.github.commentsWith('request-errors').length > 0,
        10_000,
        'the error comment',
      );

      expect(harness.github.commentsWith('request-errors')[0]?.body).toContain('Source name');
      expect(await harness.load(REF)).toBeNull();
    });
  });

  describe('when a second issue asks for a source already being built', () => {
    it('answers with a link to the active run and starts nothing', async () => {
      harness.startWorkers();
      const other = { ...REF, issue: 43 };

      await openIssue(harness, 'delivery-first');
      await waitFor(statusOf(harness), 10_000, 'the first run');
      await openIssue(harness, 'delivery-second', issueFormBody('acme_crm'), other);
      await waitFor(
        async () => harness.github.commentsWith('reply-duplicate', 43).length > 0,
        10_000,
        'the reply',
      );

      expect(harness.github.commentsWith('reply-duplicate', 43)[0]?.body).toContain('already active in #42');
      expect(await harness.load(other)).toBeNull();
    });
  });

  describe('when the same delivery arrives twice', () => {
    it('applies it once', async () => {
      harness.startWorkers();
      await openIssue(harness, 'delivery-open');
      await waitFor(statusOf(harness), 10_000, 'the plan');

      await comment(harness, 'delivery-approve', { type: 'approve' });
      await comment(harness, 'delivery-approve', { type: 'approve' });
      await waitFor(async () => (await statusOf(harness)()) === 'awaiting_approval', 10_000, 'the gate');

      expect(harness.stages.runs).toHaveLength(1);
      expect(
        (await harness.load(REF))?.appliedEventIds.filter((id) => id === 'delivery-approve'),
      ).toHaveLength(1);
    });
  });

  describe('when another job holds the run for longer than the lock wait, again and again', () => {
    it('waits for the run instead of spending its attempts, and applies the command once it is free', async () => {
      await harness.close();
      harness = createWorkerHarness(uniquePrefix(), { lockWaitMs: 100 });
      harness.startWorkers();
      await openIssue(harness, 'delivery-open');
      await waitFor(statusOf(harness), 10_000, 'the plan');
      const lock = runLockKey(REF, `${harness.prefix}:`);
      await harness.redis.set(lock, 'another-job', 'PX', 3_000);

      await comment(harness, 'delivery-approve', { type: 'approve' });
      await new Promise((resolve) => setTimeout(resolve, 3_000));

      await waitFor(async () => (await statusOf(harness)()) === 'awaiting_approval', 15_000, 'the gate');
      expect(harness.stages.runs).toHaveLength(1);
    }, 30_000);
  });

  describe('when carrying out effects fails midway', () => {
    it('retries the job, replays the saved outbox and applies the event once', async () => {
      harness.startWorkers();
      await openIssue(harness, 'delivery-open');
      await waitFor(statusOf(harness), 10_000, 'the plan');
      const failures = failFirstComment(harness, (key) => key.startsWith('reply-'), 502);

      await comment(harness, 'delivery-status', { type: 'status' });
      await waitFor(
        async () => harness.github.commentsWith('reply-delivery-status').length > 0,
        10_000,
        'the reply',
      );

      expect(failures()).toBe(1);
      expect(harness.github.commentsWith('reply-delivery-status')).toHaveLength(1);
    });
  });

  describe('when posting the plan fails after the run was saved', () => {
    it('the retried job posts the plan and the status instead of taking the request as a duplicate', async () => {
      const failures = failFirstComment(harness, (key) => key === 'plan', 503);
      harness.startWorkers();

      await openIssue(harness, 'delivery-open');
      await waitFor(
        async () => harness.github.commentsWith('status').length > 0,
        10_000,
        'the status comment',
      );

      expect(failures()).toBe(1);
      expect(harness.github.commentsWith('plan')).toHaveLength(1);
      expect((await harness.load(REF))?.outbox).toBeNull();
    });
  });

  describe('when a job finds its event stale but the run still owes effects from a failed job', () => {
    it('carries them out first, so the status comment does not lag the run', async () => {
      const run = runAtGate('research');
      await harness.deps.store.save(
        REF,
        {
          run,
          outbox: { eventId: 'ci-result', effects: [{ type: 'sync_status' }] },
          appliedEventIds: ['ci-result'],
        },
        0,
      );
      harness.startWorkers();

      await harness.jobs.enqueueEvent('delivery-late-ci', {
        kind: 'workflow_run',
        ref: REF,
        runKey: 'acme-connectors-42-b1-test-a1-simulate',
        runId: 5,
        conclusion: 'success',
        url: 'https://github.com/acme/connectors/actions/runs/5',
        headBranch: run.branch,
        headSha: null,
        event: 'workflow_dispatch',
      });

      await waitFor(async () => (await harness.load(REF))?.outbox === null, 10_000, 'the outbox carried out');
      expect(harness.github.commentsWith('status')).toHaveLength(1);
    });
  });

  describe('when Redis lost the run', () => {
    it('rebuilds it from the status comment on the next command and goes on', async () => {
      harness.startWorkers();
      await openIssue(harness, 'delivery-open');
      await waitFor(
        async () => harness.github.commentsWith('status').length > 0,
        10_000,
        'the status comment',
      );
      await waitFor(async () => (await harness.load(REF))?.outbox === null, 10_000, 'the outbox to clear');
      await harness.redis.del(...(await harness.redis.keys(`${harness.prefix}:run:*`)));

      await comment(harness, 'delivery-approve', { type: 'approve' });
      const stored = await waitFor(
        async () => {
          const current = await harness.load(REF);
          return current?.run.status.kind === 'awaiting_approval' ? current : null;
        },
        10_000,
        'the research gate',
      );

      expect(stored.run.source).toBe('acme_crm');
      expect(harness.stages.runs).toHaveLength(1);
    });
  });

  describe('when the CI run cannot be started', () => {
    it('fails the test stage with the reason instead of waiting forever', async () => {
      harness.startWorkers();
      const { run } = drive(runAtGate('implement'), approve());
      await harness.deps.store.save(REF, { run, outbox: null, appliedEventIds: [] }, 0);

      await harness.jobs.enqueueEvent('result-1', { kind: 'run_event', ref: REF, event: succeeded(run) });
      const stored = await waitFor(
        async () => {
          const current = await harness.load(REF);
          return current?.run.status.kind === 'failed' ? current : null;
        },
        10_000,
        'the failed stage',
      );

      expect(stored.run.status).toMatchObject({
        kind: 'failed',
        stage: 'test',
        reason: expect.stringContaining('The GitHub Actions adapter is not available'),
      });
    });
  });

  describe('when a comment would quote a secret', () => {
    it('redacts it before posting', async () => {
      harness.startWorkers();
      const token = ['ghp', '_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join('');
      const { run } = drive(newRun(), approve());
      await harness.deps.store.save(REF, { run, outbox: null, appliedEventIds: [] }, 0);

      await harness.jobs.enqueueEvent('result-1', {
        kind: 'run_event',
        ref: REF,
        event: failed(run, `GitHub said: bad credentials ${token}`),
      });
      const posted = await waitFor(
        async () => harness.github.commentsWith('failed-b1-research')[0],
        10_000,
        'the failure summary',
      );

      expect(posted.body).toContain('bad credentials');
      expect(posted.body).not.toContain(token);
    });
  });

  describe('when two workers race on one run', () => {
    it('loses no update', async () => {
      harness.startWorkers();
      harness.startWorkers();
      await openIssue(harness, 'delivery-open');
      await waitFor(statusOf(harness), 10_000, 'the plan');

      const reviews = Array.from({ length: 24 }, (_, index) => `review-${index}`);
      await Promise.all(
        reviews.map((id) =>
          harness.jobs.enqueueEvent(id, {
            kind: 'run_event',
            ref: REF,
            event: { type: 'review_feedback', id, author: 'reviewer', text: `comment ${id}`, path: null },
          }),
        ),
      );
      const stored = await waitFor(
        async () => {
          const current = await harness.load(REF);
          return current && current.run.feedback.length === reviews.length ? current : null;
        },
        20_000,
        'every review',
      );

      expect(new Set(stored.run.feedback.map((item) => item.text)).size).toBe(reviews.length);
    });
  });

  describe('when a command is written without /lakeflow', () => {
    /** Queues `/approve` as the handler does, bare or prefixed, and waits for the worker's outcome. */
    async function approveAndWait(deliveryId: string, bare: boolean): Promise<unknown> {
      const raw = new Queue(QUEUE_NAMES.events, {
        connection: queueConnectionOptions(redisUrl()),
        prefix: harness.prefix,
      });
      try {
        await harness.jobs.enqueueEvent(deliveryId, {
          kind: 'command',
          ref: REF,
          id: deliveryId,
          command: { type: 'approve' },
          actor: 'maintainer',
          target: { kind: 'issue', number: REF.issue },
          commentId: 9001,
          viaPullRequest: null,
          checkAccess: { isIssueAuthor: false },
          ...(bare ? { bareCommand: true as const } : {}),
        });
        const done = await waitFor(
          async () => ((await (await raw.getJob(deliveryId))?.isCompleted()) ? raw.getJob(deliveryId) : null),
          10_000,
          `the outcome of ${deliveryId}`,
        );
        return done?.returnvalue;
      } finally {
        await raw.close();
      }
    }

    async function atPlanApproval(): Promise<void> {
      harness.github.permissions.set('maintainer', 'write');
      harness.startWorkers();
      await openIssue(harness, 'delivery-open');
      await waitFor(
        async () =>
          (await harness.load(REF))?.outbox === null && harness.github.commentsWith('status').length > 0,
        10_000,
        'the plan',
      );
    }

    it('leaves it unanswered and unapplied where the repository requires the prefix; /lakeflow approve applies', async () => {
      harness.github.files.set(REPO_CONFIG_PATH, 'commands:\n  requirePrefix: true\n');
      await atPlanApproval();
      const commentsBefore = harness.github.comments.map((c) => c.body);

      expect(await approveAndWait('delivery-bare', true)).toBe('ignored_bare_command');
      expect((await harness.load(REF))?.run.status.kind).toBe('awaiting_plan_approval');
      expect(harness.github.comments.map((c) => c.body)).toEqual(commentsBefore);
      expect([...harness.github.reactions]).toEqual([]);

      await approveAndWait('delivery-prefixed', false);
      expect((await harness.load(REF))?.appliedEventIds).toContain('delivery-prefixed');
      expect((await harness.load(REF))?.run.status.kind).not.toBe('awaiting_plan_approval');
      expect([...harness.github.reactions]).toEqual(['9001:eyes']);
    });

    it('applies it where the prefix is not required', async () => {
      await atPlanApproval();

      expect(await approveAndWait('delivery-bare', true)).not.toBe('ignored_bare_command');

      expect((await harness.load(REF))?.appliedEventIds).toContain('delivery-bare');
      expect((await harness.load(REF))?.run.status.kind).not.toBe('awaiting_plan_approval');
    });
  });

  describe('when a job carries data no schema accepts', () => {
    it('fails it at once without retrying', async () => {
      harness.startWorkers();
      const raw = new Queue(QUEUE_NAMES.events, {
        connection: queueConnectionOptions(redisUrl()),
        prefix: harness.prefix,
      });

      const job = await raw.add(
        'event',
        { kind: 'issue_request', ref: { issue: 'x' } },
        { jobId: 'bad-job', attempts: 5 },
      );
      const failed = await waitFor(
        async () => ((await job.isFailed()) ? raw.getJob('bad-job') : null),
        10_000,
        'the failure',
      );
      await raw.close();

      expect(failed?.attemptsMade).toBe(1);
      expect(failed?.failedReason).toContain('invalid data');
    });
  });
});
