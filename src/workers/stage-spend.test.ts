import { describe, expect, it } from 'vitest';
import { RecordingJobQueue } from '../../test/fakes/recording-job-queue.js';
import { researchJob } from '../../test/helpers/pipeline.js';
import { NO_USAGE } from '../domain/pipeline/usage.js';
import { startStageSpend } from './stage-spend.js';
import type { WorkerDeps } from './worker-deps.js';

const TURN = { ...NO_USAGE, inputTokens: 1_000, outputTokens: 100, costUsd: 0.05 };

function setup(intervalMs: number) {
  let now = Date.parse('2026-12-04T10:00:00Z');
  const jobs = new RecordingJobQueue();
  const deps = {
    jobs,
    clock: { now: () => new Date(now) },
    stageProgressIntervalMs: intervalMs,
  } as unknown as WorkerDeps;
  return {
    jobs,
    deps,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('startStageSpend progress', () => {
  it('sends no progress for turns within the first interval: a short phase costs no status edit', async () => {
    const { jobs, deps, advance } = setup(30_000);
    const spend = await startStageSpend(deps, researchJob());
    for (let turn = 1; turn <= 5; turn += 1) {
      advance(5_000);
      await spend.onTurn({ agent: 'researcher', turn, usage: TURN });
    }
    expect(jobs.events.size).toBe(0);
  });

  it('reports the total once an interval has passed, then at most once per interval', async () => {
    const { jobs, deps, advance } = setup(30_000);
    const spend = await startStageSpend(deps, researchJob());
    advance(31_000);
    await spend.onTurn({ agent: 'researcher', turn: 1, usage: TURN });
    advance(10_000);
    await spend.onTurn({ agent: 'researcher', turn: 2, usage: TURN });
    advance(25_000);
    await spend.onTurn({ agent: 'researcher', turn: 3, usage: TURN });
    const reported = [...jobs.events.values()].map((job) =>
      job.kind === 'run_event' && job.event.type === 'stage_progress' ? job.event.spentSoFar.costUsd : null,
    );
    expect(reported).toEqual([0.05, 0.15]);
  });
});
