import { z } from 'zod';
import { modelClamps } from '../agents/allowed-models.js';
import type { RunSettings } from './settings.js';

/**
 * What the operator (who pays for the model key) allows any repository: budget ceilings, whether
 * gates may pass without a person, the models, and whether commands need the `/lakeflow` prefix. A
 * repository's config can ask for less, never more.
 */
export const OperatorLimits = z.object({
  maxRunUsd: z.number().positive(),
  maxStageUsd: z.number().positive(),
  maxRunTokens: z.number().int().positive(),
  maxStageTokens: z.number().int().positive(),
  allowAutoApprove: z.boolean(),
  /** Model ids any agent may run on; `null`: any model. */
  allowedModels: z.array(z.string()).nullable(),
  /** Every repository takes only `/lakeflow <command>`, whatever its `commands.requirePrefix` says. */
  requireCommandPrefix: z.boolean(),
});
export type OperatorLimits = z.infer<typeof OperatorLimits>;

/** Generous but finite: four times the default budgets. */
export const DEFAULT_OPERATOR_LIMITS: OperatorLimits = Object.freeze({
  maxRunUsd: 100,
  maxStageUsd: 32,
  maxRunTokens: 80_000_000,
  maxStageTokens: 16_000_000,
  allowAutoApprove: true,
  allowedModels: null,
  requireCommandPrefix: false,
});

/**
 * `settings` within `limits`, with one line per setting that was lowered (what was asked, what
 * applies), for the plan, and one per model choice of the config (`askedModels`) not allowed. The limits go into the settings too, so `/approve` on a pause never
 * raises a budget past them.
 */
export function clampToOperatorLimits(
  settings: RunSettings,
  limits: OperatorLimits,
  askedModels: Parameters<typeof modelClamps>[0] = { models: {}, modelIds: {} },
): { settings: RunSettings; clamps: string[] } {
  const clamps: string[] = [];
  const budget = { ...settings.budget };
  const cap = <K extends 'runUsd' | 'stageUsd' | 'runTokens' | 'stageTokens'>(
    key: K,
    max: number,
    show: (n: number) => string,
  ) => {
    if (budget[key] <= max) return;
    clamps.push(`\`budgets.${key}\`: asked ${show(budget[key])}, the operator allows at most ${show(max)}`);
    budget[key] = max;
  };
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const tokens = (n: number) => `${n.toLocaleString('en-US')} tokens`;
  cap('runUsd', limits.maxRunUsd, usd);
  cap('stageUsd', limits.maxStageUsd, usd);
  cap('runTokens', limits.maxRunTokens, tokens);
  cap('stageTokens', limits.maxStageTokens, tokens);
  let autoApprove = settings.autoApprove;
  if (!limits.allowAutoApprove && autoApprove.length > 0) {
    clamps.push(
      `\`autoApprove\`: asked for ${autoApprove.join(', ')}; the operator requires a person at every gate`,
    );
    autoApprove = [];
  }
  // The agents run on allowed models whatever the config says (`restrictModel`); the plan says so.
  clamps.push(...modelClamps(askedModels, limits.allowedModels));
  const caps = {
    runUsd: limits.maxRunUsd,
    stageUsd: limits.maxStageUsd,
    runTokens: limits.maxRunTokens,
    stageTokens: limits.maxStageTokens,
  };
  return { settings: { ...settings, budget, autoApprove, caps, clamps }, clamps };
}
