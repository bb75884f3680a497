import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../../src/adapters/anthropic/anthropic-model.js';
import { QUEUE_NAMES, queueConnectionOptions } from '../../src/adapters/queue/queues.js';
import { createAgentStageRunner } from '../../src/agent-runtime/agent-stage-runner.js';
import { DEFAULT_PRICES } from '../../src/domain/accounting/pricing.js';
import { parseAgentFile } from '../../src/domain/agents/agent-definition.js';
import type { StageJob } from '../../src/domain/pipeline/jobs.js';
import type { StoredRun } from '../../src/ports/run-store.js';
import { type FakeAnthropic, type FakeTurn, startFakeAnthropic } from '../fakes/fake-anthropic-server.js';
import { approve, drive, newRun, REF } from '../helpers/pipeline.js';
import { redisUrl, uniquePrefix } from '../helpers/redis.js';
import { createWorkerHarness, type WorkerHarness, waitFor } from '../helpers/worker-harness.js';

/**
 * A running stage on the real BullMQ workers and real Redis, with the real agent runtime on the
 * real SDK against the fake Messages API: `/cancel` stops it mid-turn, and every model turn is
 * charged to the run exactly once, crashed attempts included.
 */

const DOC = 'src/databricks/labs/community_connector/sources/acme_crm/acme_crm_api_doc.md';
const AGENT = `---
name: source-api-researcher
description: Researches the source API and writes the API doc.
tools: list_files, read_file, write_file, submit
model: sonnet
max_turns: 8
---
You research a source's API and write its API document.
`;
const GOOD_DOC = [
  '# Acme CRM API',
  '',
  '## Authorization',
  '',
  'Method: API key',
  '',
  '## Object List',
  '',
  '| Table | Endpoint |',
  '|---|---|',
  '| `contacts` | `GET /contacts` |',
  '',
].join('\n');

/** Each billed turn: 100k input tokens at $3/M plus 10k output tokens at $15/M on sonnet = $0.45. */
const TURN_USD = 0.45;
const TURN_USAGE = {
  input_tokens: 100_000,
  output_tokens: 10_000,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

let ids = 0;
function call(name: string, input: Record<string, unknown>, extra: Partial<FakeTurn> = {}): FakeTurn {
  ids += 1;
  return {
    content: [{ type: 'tool_use', id: `toolu_${ids}`, name, input }],
    stop_reason: 'tool_use',
    usage: TURN_USAGE,
    ...extra,
  } as FakeTurn;
}

const writeDoc = () => call('write_file', { path: DOC, content: GOOD_DOC });
const submit = (extra: Partial<FakeTurn> = {}) =>
  call('submit', { summary: 'Documented contacts.', files: [DOC] }, extra);

/** Saves a run waiting for research and queues the research job, as the events worker would. */
async function queueResearch(harness: WorkerHarness): Promise<StageJob> {
  const { run, effects } = drive(newRun({ tables: ['contacts'] }), approve());
  await harness.deps.store.save(REF, { run, outbox: null, appliedEventIds: [] }, 0);
  const effect = effects.find((candidate) => candidate.type === 'enqueue_stage');
  if (effect?.type !== 'enqueue_stage') throw new Error('approve queues research');
  await harness.jobs.enqueueStage(effect.job);
  return effect.job;
}

function statusBody(harness: WorkerHarness): string {
  return harness.github.commentsWith('status')[0]?.body ?? '';
}

async function settled(
  harness: WorkerHarness,
  check: (stored: StoredRun) => boolean,
  what: string,
): Promise<StoredRun> {
  return waitFor(
    async () => {
      const stored = await harness.load(REF);
      return stored !== null && stored.outbox === null && check(stored) ? stored : null;
    },
    20_000,
    what,
  );
}

describe('a running stage on the real workers', () => {
  let harness: WorkerHarness;
  let model: FakeAnthropic;

  beforeEach(async () => {
    harness = createWorkerHarness(uniquePrefix());
    model = await startFakeAnthropic();
    harness.deps.stages = createAgentStageRunner({
      model: createAnthropicModel({ apiKey: 'test-key', baseURL: model.url, maxRetries: 0 }),
      agents: new Map([['source-api-researcher', parseAgentFile('agents/source-api-researcher.md', AGENT)]]),
      github: () => harness.github,
      prices: DEFAULT_PRICES,
      clock: { now: () => new Date() },
    });
  });

  afterEach(async () => {
    await model.close();
    await harness.close();
  });

  it('stops within seconds on /cancel: the model call is aborted, nothing is committed, the spend so far is charged', async () => {
    model.script(writeDoc(), submit({ delayMs: 120_000 }));
    harness.startWorkers();
    await queueResearch(harness);
    await waitFor(async () => model.requests.length === 2, 20_000, 'the second (slow) model turn');

    await harness.jobs.enqueueEvent('delivery-cancel-1', {
      kind: 'command',
      ref: REF,
      id: 'delivery-cancel-1',
      command: { type: 'cancel' },
      actor: 'maintainer',
      target: { kind: 'issue', number: REF.issue },
      commentId: null,
      viaPullRequest: null,
    });

    await waitFor(
      async () => model.aborted.length === 1,
      10_000,
      'the in-flight model request to be aborted',
    );
    const stored = await settled(
      harness,
      (current) => current.run.usage.costUsd > 0,
      'the cancelled stage to report its spend',
    );
    expect(stored.run.status.kind).toBe('cancelled');
    expect(stored.run.usage.costUsd).toBeCloseTo(TURN_USD, 6);
    expect(stored.run.usage).toMatchObject({ inputTokens: 100_000, outputTokens: 10_000 });
    expect(harness.github.commits).toEqual([]);
    const body = statusBody(harness);
    expect(body).toMatch(/cancel/i);
    expect(body).toContain(`spent $${TURN_USD.toFixed(2)} of`);
    expect(model.requests).toHaveLength(2);
  });

  it('does not commit when the cancel lands after the last turn: the run is checked right before the commit', async () => {
    harness.deps.stageWatchIntervalMs = 600_000;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    model.script(writeDoc(), submit({ until: released }));
    harness.startWorkers();
    await queueResearch(harness);
    await waitFor(async () => model.requests.length === 2, 20_000, 'the last model turn');
    await harness.jobs.enqueueEvent('delivery-cancel-2', {
      kind: 'command',
      ref: REF,
      id: 'delivery-cancel-2',
      command: { type: 'cancel' },
      actor: 'maintainer',
      target: { kind: 'issue', number: REF.issue },
      commentId: null,
      viaPullRequest: null,
    });
    await settled(harness, (current) => current.run.status.kind === 'cancelled', 'the cancel');
    release();

    const stored = await settled(
      harness,
      (current) => current.run.usage.costUsd > 0,
      'the stopped stage to report its spend',
    );
    expect(stored.run.usage.costUsd).toBeCloseTo(2 * TURN_USD, 6);
    expect(model.aborted).toEqual([]);
    expect(harness.github.commits).toEqual([]);
  });

  it('charges the turns of an attempt that crashed, and of the retry that committed, each once', async () => {
    model.script(
      writeDoc(),
      call('list_files', { prefix: 'src' }),
      { status: 500, headers: { 'x-should-retry': 'false' }, message: 'fake outage' },
      writeDoc(),
      submit(),
    );
    harness.startWorkers();
    const job = await queueResearch(harness);

    const stored = await settled(
      harness,
      (current) => current.run.status.kind === 'awaiting_approval',
      'the research gate after the retry',
    );
    expect(model.requests).toHaveLength(5);
    expect(harness.github.commits).toHaveLength(1);
    expect(stored.appliedEventIds.filter((id) => id === `${job.jobId}-result`)).toHaveLength(1);
    expect(stored.run.usage.costUsd).toBeCloseTo(4 * TURN_USD, 6);
    expect(stored.run.usage.inputTokens).toBe(400_000);
    expect(stored.run.batch.stages.research.usage.costUsd).toBeCloseTo(4 * TURN_USD, 6);
  });

  it('a worker shut down mid-stage finishes the model call in flight and hands over; the next worker resumes without repeating a turn', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    model.script(writeDoc(), writeDoc(), call('list_files', { prefix: 'src' }, { until: released }));
    const first = harness.startWorkers();
    const job = await queueResearch(harness);
    await waitFor(async () => model.requests.length === 3, 20_000, 'the third (slow) model turn');

    const closing = first.close();
    release();
    await closing;

    const handedOver = await harness.load(REF);
    expect(handedOver?.run.status.kind).toBe('running');
    expect(model.requests).toHaveLength(3);
    expect(model.aborted).toEqual([]);
    const phases = new Queue(QUEUE_NAMES.phases, {
      connection: queueConnectionOptions(redisUrl()),
      prefix: harness.prefix,
    });
    try {
      expect(await phases.getJobState(job.jobId)).toBe('waiting');
      expect((await phases.getJob(job.jobId))?.attemptsMade).toBe(0);

      model.script(submit());
      harness.startWorkers();
      const stored = await settled(
        harness,
        (current) => current.run.status.kind === 'awaiting_approval',
        'the research gate on the second worker',
      );
      // The second worker went on from the conversation and files the first one left: one more turn.
      expect(model.requests).toHaveLength(4);
      expect(model.requests[3]?.body.messages).toHaveLength(7);
      expect(harness.github.commits).toHaveLength(1);
      expect(harness.github.filesAt(harness.github.commits[0]?.sha).get(DOC)).toBe(GOOD_DOC);
      expect(stored.run.usage.costUsd).toBeCloseTo(4 * TURN_USD, 6);
    } finally {
      await phases.close();
    }
  });

  it('shows the spend of the running stage while it runs, and the result does not count it again', async () => {
    harness.deps.stageProgressIntervalMs = 0;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    model.script(writeDoc(), submit({ until: released }));
    harness.startWorkers();
    await queueResearch(harness);

    await waitFor(
      async () => statusBody(harness).includes(`spent $${TURN_USD.toFixed(2)} of`),
      20_000,
      'the status comment to show the first turn while the stage runs',
    );
    const running = await harness.load(REF);
    expect(running?.run.status.kind).toBe('running');
    expect(running?.run.usage.costUsd).toBe(0);
    expect(statusBody(harness)).toMatch(/running[^\n]*\$0\.45 so far/);
    release();

    const stored = await settled(
      harness,
      (current) => current.run.status.kind === 'awaiting_approval',
      'the research gate',
    );
    expect(stored.run.usage.costUsd).toBeCloseTo(2 * TURN_USD, 6);
    expect(stored.run.batch.stages.research.usage.costUsd).toBeCloseTo(2 * TURN_USD, 6);
    await waitFor(
      async () => statusBody(harness).includes(`spent $${(2 * TURN_USD).toFixed(2)} of`),
      10_000,
      'the final spend in the status comment',
    );
    expect(statusBody(harness)).not.toContain('so far');
  });
});
