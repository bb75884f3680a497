import type { RepoConfigLoader } from '../config/load-repo-config.js';
import type { RepoConfig } from '../config/repo-config.js';
import type { PriceTable } from '../domain/accounting/pricing.js';
import type { AgentDefinition } from '../domain/agents/agent-definition.js';
import { restrictModel } from '../domain/agents/allowed-models.js';
import { resolveModelId } from '../domain/agents/models.js';
import { ConfigError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { GitHubPort } from '../ports/github.js';
import type { ModelPort } from '../ports/model.js';
import type { RepoRef } from '../workers/worker-deps.js';
import type { AgentLimits } from './agent-limits.js';

/** What the agent-backed ports (the stage runner, the self-reviewer) are built from. */
export interface AgentRuntimeParams {
  model: ModelPort;
  agents: ReadonlyMap<string, AgentDefinition>;
  github: (repo: RepoRef) => GitHubPort;
  prices: PriceTable;
  clock: Clock;
  reference?: string[];
  limits?: Partial<AgentLimits>;
  /** The operator's allowed model ids (`OPERATOR_ALLOWED_MODELS`); absent or `null`: any. */
  allowedModels?: readonly string[] | null;
  /** Reads a repository's config (the app passes one shared, cached loader); default: read it each time. */
  loadConfig?: RepoConfigLoader;
}

/** The agent file `name`, or a `ConfigError` saying which file is missing and what needs it. */
export function requireAgent(
  agents: ReadonlyMap<string, AgentDefinition>,
  name: string,
  neededFor: string,
): AgentDefinition {
  const agent = agents.get(name);
  if (agent === undefined) {
    throw new ConfigError(`No agent file defines "${name}" (agents/${name}.md), needed for ${neededFor}.`);
  }
  return agent;
}

/**
 * The model id `agent` runs on in this repository: its config's per-agent choice, else the agent
 * file's; a model the operator does not allow gives way to the agent file's own (with the bot's
 * built-in ids), else to the first allowed one.
 */
export function modelIdFor(
  agent: AgentDefinition,
  config: RepoConfig,
  allowed: readonly string[] | null = null,
): string {
  const wanted = resolveModelId({ agent, perAgent: config.models, aliasIds: config.modelIds });
  return restrictModel(wanted, [resolveModelId({ agent })], allowed);
}

/** The budgets a job carries, in the shape the tool loop checks between turns. */
export function budgetOf(job: {
  budgetUsd: number;
  runBudgetLeftUsd: number;
  budgetTokens: number;
  runTokensLeft: number;
}): { stageUsd: number; runLeftUsd: number; stageTokens: number; runTokensLeft: number } {
  return {
    stageUsd: job.budgetUsd,
    runLeftUsd: job.runBudgetLeftUsd,
    stageTokens: job.budgetTokens,
    runTokensLeft: job.runTokensLeft,
  };
}
