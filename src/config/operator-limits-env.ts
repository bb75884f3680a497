import { z } from 'zod';
import { parseAllowedModels } from '../domain/agents/allowed-models.js';
import { DEFAULT_OPERATOR_LIMITS, type OperatorLimits } from '../domain/pipeline/operator-limits.js';

const positive = (fallback: number) => z.coerce.number().positive().max(1_000_000).default(fallback);
const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().max(10_000_000_000).default(fallback);

/** The environment variables of the operator's limits (README, Configuration), with their defaults. */
export const OperatorLimitsEnv = z.object({
  /** Most a run may cost in USD, whatever a repository's config asks. */
  OPERATOR_MAX_RUN_USD: positive(DEFAULT_OPERATOR_LIMITS.maxRunUsd),
  /** Most one phase attempt may cost in USD. */
  OPERATOR_MAX_STAGE_USD: positive(DEFAULT_OPERATOR_LIMITS.maxStageUsd),
  /** Most tokens a run may use. */
  OPERATOR_MAX_RUN_TOKENS: positiveInt(DEFAULT_OPERATOR_LIMITS.maxRunTokens),
  /** Most tokens one phase attempt may use. */
  OPERATOR_MAX_STAGE_TOKENS: positiveInt(DEFAULT_OPERATOR_LIMITS.maxStageTokens),
  /** `false`: every gate needs a person, whatever `autoApprove` a repository sets. */
  OPERATOR_ALLOW_AUTO_APPROVE: z.enum(['true', 'false']).default('true'),
  /** `true`: every repository takes only `/lakeflow <command>`, whatever its `commands.requirePrefix`. */
  OPERATOR_REQUIRE_COMMAND_PREFIX: z.enum(['true', 'false']).default('false'),
  /** Comma-separated aliases (sonnet, opus, haiku) or model ids the agents may run on; empty: any. */
  OPERATOR_ALLOWED_MODELS: z
    .string()
    .max(2_000)
    .regex(/^[A-Za-z0-9._:@, -]*$/, 'a comma-separated list of model aliases or ids')
    .optional(),
});

/** The limits as the domain reads them. */
export function operatorLimitsOf(env: z.infer<typeof OperatorLimitsEnv>): OperatorLimits {
  return {
    maxRunUsd: env.OPERATOR_MAX_RUN_USD,
    maxStageUsd: env.OPERATOR_MAX_STAGE_USD,
    maxRunTokens: env.OPERATOR_MAX_RUN_TOKENS,
    maxStageTokens: env.OPERATOR_MAX_STAGE_TOKENS,
    allowAutoApprove: env.OPERATOR_ALLOW_AUTO_APPROVE === 'true',
    allowedModels: parseAllowedModels(env.OPERATOR_ALLOWED_MODELS),
    requireCommandPrefix: env.OPERATOR_REQUIRE_COMMAND_PREFIX === 'true',
  };
}
