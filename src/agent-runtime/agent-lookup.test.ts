import { describe, expect, it } from 'vitest';
import { RepoConfig } from '../config/repo-config.js';
import type { AgentDefinition } from '../domain/agents/agent-definition.js';
import { modelIdFor } from './agent-lookup.js';

const DEV: AgentDefinition = {
  name: 'connector-dev',
  description: 'd',
  tools: ['submit'],
  model: 'sonnet',
  maxTurns: 40,
  prompt: 'p',
};

describe('modelIdFor', () => {
  const config = RepoConfig.parse({ models: { 'connector-dev': 'opus' } });

  it("runs the config's choice when the operator allows any model", () => {
    expect(modelIdFor(DEV, config)).toBe('claude-opus-5-5');
  });

  it("runs the agent file's model instead of one the operator does not allow", () => {
    expect(modelIdFor(DEV, config, ['claude-sonnet-5-5', 'claude-haiku-5-5'])).toBe('claude-sonnet-5-5');
    expect(modelIdFor(DEV, config, ['claude-haiku-5-5'])).toBe('claude-haiku-5-5');
  });
});
