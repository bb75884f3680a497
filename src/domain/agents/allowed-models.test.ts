import { describe, expect, it } from 'vitest';
import { modelClamps, parseAllowedModels, restrictModel } from './allowed-models.js';

describe('parseAllowedModels', () => {
  it('reads aliases as the built-in ids and keeps full ids', () => {
    expect(parseAllowedModels(' sonnet, claude-opus-4-1 ,haiku,sonnet')).toEqual([
      'claude-sonnet-5-5',
      'claude-opus-4-1',
      'claude-haiku-5-5',
    ]);
  });

  it('is null (any model) when empty or unset', () => {
    expect(parseAllowedModels(undefined)).toBeNull();
    expect(parseAllowedModels(' , ')).toBeNull();
  });
});

describe('restrictModel', () => {
  const allowed = ['claude-sonnet-5-5', 'claude-haiku-5-5'];

  it('keeps an allowed model, and any model when nothing is restricted', () => {
    expect(restrictModel('claude-haiku-5-5', ['claude-sonnet-5-5'], allowed)).toBe('claude-haiku-5-5');
    expect(restrictModel('claude-opus-5-5', [], null)).toBe('claude-opus-5-5');
  });

  it("falls back to the agent file's model, else to the first allowed", () => {
    expect(restrictModel('claude-opus-5-5', ['claude-haiku-5-5'], allowed)).toBe('claude-haiku-5-5');
    expect(restrictModel('claude-opus-5-5', ['claude-opus-4-1'], allowed)).toBe('claude-sonnet-5-5');
  });
});

describe('modelClamps', () => {
  it('names each per-agent choice and alias remapping the operator does not allow', () => {
    const lines = modelClamps(
      {
        models: { 'connector-dev': 'opus', 'connector-tester': 'haiku', 'connector-builder': 'claude-x' },
        modelIds: { haiku: 'claude-haiku-custom' },
      },
      ['claude-sonnet-5-5', 'claude-haiku-5-5'],
    );

    expect(lines).toEqual([
      '`modelIds.haiku`: asked `claude-haiku-custom`, the operator allows `claude-sonnet-5-5`, `claude-haiku-5-5`',
      '`models.connector-dev`: asked `opus`, the operator allows `claude-sonnet-5-5`, `claude-haiku-5-5`',
      '`models.connector-tester`: asked `haiku`, the operator allows `claude-sonnet-5-5`, `claude-haiku-5-5`',
      '`models.connector-builder`: asked `claude-x`, the operator allows `claude-sonnet-5-5`, `claude-haiku-5-5`',
    ]);
    expect(modelClamps({ models: { 'connector-dev': 'opus' }, modelIds: {} }, null)).toEqual([]);
  });
});
