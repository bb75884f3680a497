import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentDefinition } from './agent-definition.js';
import { DEFAULT_MODEL_IDS, resolveModelId } from './models.js';

/**
 * The SDK's list of deprecated models. Its `exports` map hides `internal/`, so the module is loaded by its
 * file path next to the package entry; a failure here means the SDK moved the list.
 */
function sdkDeprecatedModels(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@anthropic-ai/sdk');
  const loaded: unknown = require(join(dirname(entry), 'internal', 'data', 'deprecated-models.js'));
  const list = (loaded as { DEPRECATED_MODELS?: unknown }).DEPRECATED_MODELS;
  if (typeof list !== 'object' || list === null)
    throw new Error('the SDK no longer exports DEPRECATED_MODELS');
  return list as Record<string, string>;
}

function agent(model: string, name = 'connector-dev'): AgentDefinition {
  return { name, description: 'd', tools: ['submit'], model, maxTurns: 40, prompt: 'p' };
}

describe('DEFAULT_MODEL_IDS', () => {
  it('names no model on the SDK deprecated list', () => {
    const deprecated = sdkDeprecatedModels();

    expect(Object.keys(deprecated).length).toBeGreaterThan(0);
    expect(Object.values(DEFAULT_MODEL_IDS).filter((id) => id in deprecated)).toEqual([]);
  });

  it.each(Object.entries(DEFAULT_MODEL_IDS))('maps %s to a model id of its family', (alias, id) => {
    expect(id).toMatch(new RegExp(`^claude-${alias}-`));
  });
});

describe('resolveModelId', () => {
  it.each([
    ['an alias through the defaults', agent('opus'), {}, 'claude-opus-5-5'],
    [
      'an alias through the config',
      agent('opus'),
      { aliasIds: { opus: 'claude-opus-4-8' } },
      'claude-opus-4-8',
    ],
    [
      'an alias the config does not override',
      agent('haiku'),
      { aliasIds: { opus: 'x' } },
      'claude-haiku-5-5',
    ],
    ['a full id as is', agent('claude-sonnet-4-6'), { aliasIds: { sonnet: 'x' } }, 'claude-sonnet-4-6'],
    [
      'the per-agent alias first',
      agent('haiku'),
      { perAgent: { 'connector-dev': 'sonnet' } },
      'claude-sonnet-5-5',
    ],
    [
      'the per-agent alias through the config',
      agent('haiku'),
      { perAgent: { 'connector-dev': 'sonnet' }, aliasIds: { sonnet: 'claude-sonnet-4-6' } },
      'claude-sonnet-4-6',
    ],
    [
      'the per-agent full id',
      agent('haiku'),
      { perAgent: { 'connector-dev': 'claude-opus-4-7' } },
      'claude-opus-4-7',
    ],
    [
      'the agent model for another agent',
      agent('haiku'),
      { perAgent: { tester: 'opus' } },
      'claude-haiku-5-5',
    ],
    [
      'the agent model, not an inherited key',
      agent('haiku', 'constructor'),
      { perAgent: {} },
      'claude-haiku-5-5',
    ],
  ])('resolves %s', (_name, definition, config, expected) => {
    expect(resolveModelId({ agent: definition, ...config })).toBe(expected);
  });
});
