import { type AgentDefinition, MODEL_ALIASES, type ModelAlias } from './agent-definition.js';

/**
 * The model id each alias stands for unless the repo config's `modelIds` says otherwise. Current ids of
 * `@anthropic-ai/sdk`'s `Model` type, none on its deprecated list (a unit test checks the list).
 */
export const DEFAULT_MODEL_IDS: Readonly<Record<ModelAlias, string>> = Object.freeze({
  sonnet: 'claude-sonnet-5-5',
  opus: 'claude-opus-5-5',
  haiku: 'claude-haiku-5-5',
});

function isModelAlias(model: string): model is ModelAlias {
  return (MODEL_ALIASES as readonly string[]).includes(model);
}

/**
 * The model id an agent runs on. The repo config's per-agent choice (`models`, keyed by agent name) wins over
 * the agent file's `model`; an alias maps through `aliasIds` (the repo config's `modelIds`), then
 * {@link DEFAULT_MODEL_IDS}; a full model id passes through. Values come from validated config, so they
 * are not checked again here.
 */
export function resolveModelId(params: {
  agent: AgentDefinition;
  perAgent?: Readonly<Record<string, string>>;
  aliasIds?: Readonly<Partial<Record<ModelAlias, string>>>;
}): string {
  const { agent, perAgent, aliasIds } = params;
  const choice =
    (perAgent && Object.hasOwn(perAgent, agent.name) ? perAgent[agent.name] : undefined) ?? agent.model;
  if (!isModelAlias(choice)) return choice;
  return aliasIds?.[choice] ?? DEFAULT_MODEL_IDS[choice];
}
