import { describe, expect, it } from 'vitest';
import { approve, drive, newRun } from '../../../test/helpers/pipeline.js';
import type { RunEvent } from '../pipeline/events.js';
import { updateStage } from '../pipeline/progress.js';
import { NO_USAGE } from '../pipeline/run.js';
import { renderStatusComment } from '../render/status-comment.js';
import { runSpendSoFar, sumUsage } from './spend.js';

function progress(attempt: number, costUsd: number, id: string): RunEvent {
  return {
    type: 'stage_progress',
    id,
    stage: 'research',
    batch: 1,
    attempt,
    spentSoFar: { ...NO_USAGE, inputTokens: 1000, costUsd },
  };
}

describe('runSpendSoFar', () => {
  it("adds the running attempt's spend so far to what the run was charged, and the status comment shows both", () => {
    const running = drive(newRun(), approve(), progress(1, 1.25, 'p1')).run;

    expect(runSpendSoFar(running)).toMatchObject({ inputTokens: 1000, costUsd: 1.25 });
    const body = renderStatusComment(running);
    expect(body).toMatch(/research[^\n]*running[^\n]*\$1\.25 so far/);
    expect(body).toContain('spent $1.25 of $25.00');
  });

  it('shows nothing of an earlier attempt once another one runs', () => {
    const running = drive(newRun(), approve(), progress(1, 1.25, 'p1')).run;
    const next = updateStage(running, 'research', { attempt: 2 });

    expect(runSpendSoFar(next).costUsd).toBe(0);
    expect(renderStatusComment(next)).not.toContain('so far');
    expect(drive(next, progress(2, 0.5, 'p2')).run.batch.stages.research.live).toEqual({
      attempt: 2,
      usage: { ...NO_USAGE, inputTokens: 1000, costUsd: 0.5 },
    });
  });

  it('sums usage records', () => {
    const one = { inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheWriteTokens: 4, costUsd: 0.1 };
    expect(sumUsage([one, one, one])).toEqual({
      inputTokens: 3,
      outputTokens: 6,
      cacheReadTokens: 9,
      cacheWriteTokens: 12,
      costUsd: 0.3,
    });
    expect(sumUsage([])).toEqual(NO_USAGE);
  });
});
