import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import {
  cacheWrite1hPrice,
  costOf,
  DEFAULT_PRICES,
  type ModelPrice,
  PriceTable,
  priceFor,
} from './pricing.js';

function price(input: number, output: number, webSearchPer1000 = 10): ModelPrice {
  return { input, output, cacheWrite: input * 1.25, cacheRead: input / 10, webSearchPer1000 };
}

const NO_USAGE = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

describe('DEFAULT_PRICES', () => {
  it('lists each family at its list price', () => {
    expect(PriceTable.parse(DEFAULT_PRICES)).toEqual({
      'claude-opus': {
        input: 15,
        output: 75,
        cacheWrite: 18.75,
        cacheWrite1h: 30,
        cacheRead: 1.5,
        webSearchPer1000: 10,
      },
      'claude-sonnet': {
        input: 3,
        output: 15,
        cacheWrite: 3.75,
        cacheWrite1h: 6,
        cacheRead: 0.3,
        webSearchPer1000: 10,
      },
      'claude-haiku': {
        input: 1,
        output: 5,
        cacheWrite: 1.25,
        cacheWrite1h: 2,
        cacheRead: 0.1,
        webSearchPer1000: 10,
      },
    });
  });
});

describe('PriceTable', () => {
  it.each([
    ['a negative price', { m: { ...price(1, 5), input: -1 } }],
    ['a missing price', { m: { input: 1, output: 5, cacheWrite: 1, cacheRead: 1 } }],
    ['an unknown price', { m: { ...price(1, 5), batch: 1 } }],
    ['an empty key', { '': price(1, 5) }],
  ])('rejects %s', (_name, table) => {
    expect(PriceTable.safeParse(table).success).toBe(false);
  });
});

describe('priceFor', () => {
  const table: PriceTable = {
    'claude-sonnet': price(3, 15),
    'claude-sonnet-5': price(4, 20),
    'claude-sonnet-5-5': price(5, 25),
    'claude-haiku': price(1, 5, 30),
  };

  it.each([
    ['claude-sonnet-5-5', price(5, 25)],
    ['claude-sonnet-5-5-20270101', price(5, 25)],
    ['claude-sonnet-5', price(4, 20)],
    ['claude-sonnet-4-6', price(3, 15)],
    ['claude-haiku-5-5', price(1, 5, 30)],
  ])('prices %s by its longest matching prefix', (modelId, expected) => {
    expect(priceFor(table, modelId)).toEqual(expected);
  });

  it.each(['gpt-5', 'us.anthropic.claude-haiku-5-5', 'CLAUDE-HAIKU-5-5'])(
    'prices the unknown model %s at the highest price of each kind',
    (modelId) => {
      expect(priceFor(table, modelId)).toEqual({ ...price(5, 25), cacheWrite1h: 10, webSearchPer1000: 30 });
    },
  );

  it('prices an unknown model at the opus entry of the defaults', () => {
    expect(priceFor(DEFAULT_PRICES, 'claude-fable-5-2')).toEqual(DEFAULT_PRICES['claude-opus']);
  });

  it('throws a ConfigError for an empty table', () => {
    expect(() => priceFor({}, 'claude-opus-5-5')).toThrow(ConfigError);
  });
});

describe('costOf', () => {
  it.each([
    [
      'sonnet, every kind',
      'claude-sonnet-5-5',
      {
        inputTokens: 1_000_000,
        outputTokens: 200_000,
        cacheWriteTokens: 100_000,
        cacheReadTokens: 2_000_000,
        webSearchRequests: 12,
      },
      7.095,
    ],
    [
      'opus, rounded to a millionth',
      'claude-opus-5-5',
      { inputTokens: 1234, outputTokens: 567, cacheWriteTokens: 89, cacheReadTokens: 10 },
      0.062719,
    ],
    ['haiku, one input token', 'claude-haiku-5-5', { ...NO_USAGE, inputTokens: 1 }, 0.000001],
    ['haiku, one cache read (rounds to 0)', 'claude-haiku-5-5', { ...NO_USAGE, cacheReadTokens: 1 }, 0],
    ['one web search', 'claude-haiku-5-5', { ...NO_USAGE, webSearchRequests: 1 }, 0.01],
    ['nothing', 'claude-sonnet-5-5', NO_USAGE, 0],
    ['an unknown model at opus prices', 'gpt-5', { ...NO_USAGE, outputTokens: 1_000_000 }, 75],
    [
      'sonnet writes, 1h at 2× input and the rest at 1.25×',
      'claude-sonnet-5-5',
      { ...NO_USAGE, cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 400_000 },
      0.6 * 3.75 + 0.4 * 6,
    ],
    [
      'opus, every write 1h',
      'claude-opus-5-5',
      { ...NO_USAGE, cacheWriteTokens: 100_000, cacheWrite1hTokens: 100_000 },
      3,
    ],
  ])('costs %s', (_name, modelId, usage, expected) => {
    expect(costOf({ usage, modelId, table: DEFAULT_PRICES })).toBe(expected);
  });

  it('prices 1h writes at cacheWrite1h, or at twice input for a table written without it', () => {
    const usage = { ...NO_USAGE, cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 1_000_000 };
    const table: PriceTable = {
      'claude-sonnet': price(3, 15),
      'claude-opus': { ...price(15, 75), cacheWrite1h: 25 },
    };

    expect(PriceTable.parse(table)).toEqual(table);
    expect(cacheWrite1hPrice(price(3, 15))).toBe(6);
    expect(costOf({ usage, modelId: 'claude-sonnet-5-5', table })).toBe(6);
    expect(costOf({ usage, modelId: 'claude-opus-5-5', table })).toBe(25);
  });
});
