import type { RepoConfig } from '../config/repo-config.js';
import type { AgentDefinition } from '../domain/agents/agent-definition.js';
import { resolveModelId } from '../domain/agents/models.js';
import { ConfigError } from '../errors.js';

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

/** The model id `agent` runs on in this repository: its config's per-agent choice, else the agent file's. */
export function modelIdFor(agent: AgentDefinition, config: RepoConfig): string {
  return resolveModelId({ agent, perAgent: config.models, aliasIds: config.modelIds });
}
