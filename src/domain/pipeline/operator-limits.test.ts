import { describe, expect, it } from 'vitest';
import { approve, drive, newRun, overBudget } from '../../../test/helpers/pipeline.js';
import { renderPlanComment } from '../render/plan-comment.js';
import { clampToOperatorLimits, DEFAULT_OPERATOR_LIMITS } from './operator-limits.js';
import { DEFAULT_RUN_SETTINGS } from './settings.js';

describe('clampToOperatorLimits', () => {
  it('lowers budgets past the operator’s ceilings and says so, one line each', () => {
    const asked = {
      ...DEFAULT_RUN_SETTINGS,
      budget: { ...DEFAULT_RUN_SETTINGS.budget, runUsd: 10_000, stageTokens: 99_000_000 },
    };

    const { settings, clamps } = clampToOperatorLimits(asked, DEFAULT_OPERATOR_LIMITS);

    expect(settings.budget).toMatchObject({ runUsd: 100, stageUsd: 8, stageTokens: 16_000_000 });
    expect(clamps).toEqual([
      '`budgets.runUsd`: asked $10000.00, the operator allows at most $100.00',
      '`budgets.stageTokens`: asked 99,000,000 tokens, the operator allows at most 16,000,000 tokens',
    ]);
    expect(settings.clamps).toEqual(clamps);
  });

  it('keeps what is within the limits, and drops autoApprove when the operator wants a person at every gate', () => {
    const asked = { ...DEFAULT_RUN_SETTINGS, autoApprove: ['research' as const, 'implement' as const] };

    expect(clampToOperatorLimits(asked, DEFAULT_OPERATOR_LIMITS).clamps).toEqual([]);
    const strict = clampToOperatorLimits(asked, { ...DEFAULT_OPERATOR_LIMITS, allowAutoApprove: false });
    expect(strict.settings.autoApprove).toEqual([]);
    expect(strict.clamps).toEqual([
      '`autoApprove`: asked for research, implement; the operator requires a person at every gate',
    ]);
  });

  it('shows the lowered settings in the plan', () => {
    const { settings } = clampToOperatorLimits(
      { ...DEFAULT_RUN_SETTINGS, budget: { ...DEFAULT_RUN_SETTINGS.budget, runUsd: 10_000 } },
      DEFAULT_OPERATOR_LIMITS,
    );

    const plan = renderPlanComment(newRun({ settings }));

    expect(plan).toContain('Budget: up to **$100.00** for this run');
    expect(plan).toContain('- `budgets.runUsd`: asked $10000.00, the operator allows at most $100.00');
  });

  it('never lets /approve on a pause raise a budget past the ceiling', () => {
    const limits = { ...DEFAULT_OPERATOR_LIMITS, maxRunUsd: 27 };
    const { settings } = clampToOperatorLimits(DEFAULT_RUN_SETTINGS, limits);
    const paused = drive(newRun({ settings }), approve(), (r) => overBudget(r, 'run')).run;
    expect(paused.status).toMatchObject({ kind: 'paused', budget: 'run' });

    const once = drive(paused, approve());
    expect(once.run.budget.runUsd).toBe(27);
    const atCap = drive({ ...once.run, status: paused.status }, approve());

    expect(atCap.run.status).toEqual(paused.status);
    expect(atCap.effects[0]).toMatchObject({
      body: expect.stringContaining("at the ceiling the bot's operator set"),
    });
  });
});
