import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StageJob } from '../../src/domain/pipeline/jobs.js';
import type { Run } from '../../src/domain/pipeline/run.js';
import { ConfigError } from '../../src/errors.js';
import { approve, drive, REF, runAtGate } from '../helpers/pipeline.js';
import { uniquePrefix } from '../helpers/redis.js';
import { createWorkerHarness, type WorkerHarness, waitFor } from '../helpers/worker-harness.js';

/** A run whose docs ∥ spec stage was just approved into, saved as the events worker would, and its job. */
async function runningDocsSpec(harness: WorkerHarness): Promise<StageJob> {
  const outcome = drive(runAtGate('test'), approve());
  const effect = outcome.effects.find((item) => item.type === 'enqueue_stage');
  if (effect?.type !== 'enqueue_stage' || effect.job.stage !== 'docs_spec')
    throw new Error('expected the docs_spec stage job');
  await harness.deps.store.save(REF, { run: outcome.run, outbox: null, appliedEventIds: [] }, 0);
  return effect.job;
}

async function stageOf(harness: WorkerHarness): Promise<Run['batch']['stages']['docs_spec'] | undefined> {
  return (await harness.load(REF))?.run.batch.stages.docs_spec;
}

describe('docs ∥ spec as a BullMQ flow', () => {
  let harness: WorkerHarness;

  beforeEach(() => {
    harness = createWorkerHarness(uniquePrefix());
  });

  afterEach(async () => {
    await harness.close();
  });

  it('runs the doc writer and the spec generator as two parts and commits once', async () => {
    const job = await runningDocsSpec(harness);
    harness.startWorkers();

    await harness.jobs.enqueueStage(job);
    const done = await waitFor(
      async () => (await stageOf(harness))?.state === 'done',
      10_000,
      'docs_spec done',
    );

    expect(done).toBe(true);
    expect(harness.stages.parts.map((part) => part.agent).sort()).toEqual([
      'connector-doc-writer',
      'connector-spec-generator',
    ]);
    expect(harness.stages.finishes).toHaveLength(1);
    expect(harness.stages.finishes[0]?.parts.map((part) => part.outcome)).toEqual(['succeeded', 'succeeded']);
    expect((await harness.load(REF))?.run.status).toMatchObject({
      kind: 'awaiting_approval',
      gate: { kind: 'stage', stage: 'docs_spec' },
    });
  });

  it('adds the flow once when the same stage job is enqueued again', async () => {
    const job = await runningDocsSpec(harness);
    harness.startWorkers();

    await harness.jobs.enqueueStage(job);
    await waitFor(async () => (await stageOf(harness))?.state === 'done', 10_000, 'docs_spec done');
    await harness.jobs.enqueueStage(job);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(harness.stages.parts).toHaveLength(2);
    expect(harness.stages.finishes).toHaveLength(1);
  });

  it('fails the stage with the cause when a part fails for good, instead of waiting forever', async () => {
    harness.stages.partErrors.set(
      'connector-spec-generator',
      new ConfigError('agents/connector-spec-generator.md is missing'),
    );
    const job = await runningDocsSpec(harness);
    harness.startWorkers();

    await harness.jobs.enqueueStage(job);
    await waitFor(async () => (await stageOf(harness))?.state === 'failed', 10_000, 'docs_spec failed');

    const finished = harness.stages.finishes[0]?.parts ?? [];
    expect(finished.find((part) => part.agent === 'connector-spec-generator')).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('agents/connector-spec-generator.md is missing'),
    });
    const status = (await harness.load(REF))?.run.status;
    expect(status).toMatchObject({ kind: 'failed', stage: 'docs_spec' });
  });
});
