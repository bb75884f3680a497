import { z } from 'zod';
import { ConfigError } from '../../errors.js';

const PRICE = 'expected a price in US dollars, 0 or more';

function usd() {
  return z.number({ error: PRICE }).nonnegative(PRICE).max(100_000, PRICE);
}

/** What one model costs: USD per million tokens of each kind, and USD per 1000 web searches. */
export const ModelPrice = z.strictObject({
  /** Uncached input tokens (the API's `input_tokens`). */
  input: usd(),
  output: usd(),
  /** Tokens written to the prompt cache with the default 5-minute TTL. */
  cacheWrite: usd(),
  /** Tokens written with the 1-hour TTL (`ephemeral_1h_input_tokens`); absent: twice `input`, as listed. */
  cacheWrite1h: usd().optional(),
  /** Tokens read from the prompt cache (`cache_read_input_tokens`). */
  cacheRead: usd(),
  /** USD per 1000 server-side web searches (`server_tool_use.web_search_requests`). */
  webSearchPer1000: usd(),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

/** Prices keyed by a model id or an id prefix (`claude-opus` covers `claude-opus-5-5`). */
export const PriceTable = z.record(z.string().min(1).max(100), ModelPrice);
export type PriceTable = z.infer<typeof PriceTable>;

function family(input: number, output: number): ModelPrice {
  return {
    input,
    output,
    cacheWrite: input * 1.25,
    cacheWrite1h: input * 2,
    cacheRead: input / 10,
    webSearchPer1000: 10,
  };
}

/**
 * List prices per model family, as a fallback only: operators must set the current prices of the models
 * they use in config, since these defaults are not updated when Anthropic's prices change. Cache writes are
 * 1.25× input (5-minute TTL) or 2× (1-hour TTL), cache reads 0.1× input, web search $10 per 1000.
 */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  'claude-opus': family(15, 75),
  'claude-sonnet': family(3, 15),
  'claude-haiku': family(1, 5),
});

const KINDS = ['input', 'output', 'cacheWrite', 'cacheRead', 'webSearchPer1000'] as const;

/** What a 1-hour cache write costs per million tokens: `cacheWrite1h`, else twice `input` (the listed multiplier). */
export function cacheWrite1hPrice(price: ModelPrice): number {
  return price.cacheWrite1h ?? price.input * 2;
}

/**
 * The price of `modelId`: the entry whose key is the longest prefix of the id (an exact id is its own
 * longest prefix). A model the table does not know is priced at the table's highest price of each kind
 * (for {@link DEFAULT_PRICES}, the opus entry): overestimating keeps budgets safe, where a guess too low
 * would let a run spend more than its budget. Throws a `ConfigError` for an empty table.
 */
export function priceFor(table: PriceTable, modelId: string): ModelPrice {
  const entries = Object.entries(table);
  if (entries.length === 0) throw new ConfigError('The price table is empty: give at least one model price');
  let best: [string, ModelPrice] | undefined;
  for (const entry of entries) {
    if (modelId.startsWith(entry[0]) && (best === undefined || entry[0].length > best[0].length))
      best = entry;
  }
  if (best) return best[1];
  const highest = (kind: (typeof KINDS)[number]) => Math.max(...entries.map(([, price]) => price[kind]));
  return {
    input: highest('input'),
    output: highest('output'),
    cacheWrite: highest('cacheWrite'),
    cacheRead: highest('cacheRead'),
    webSearchPer1000: highest('webSearchPer1000'),
    cacheWrite1h: Math.max(...entries.map(([, price]) => cacheWrite1hPrice(price))),
  };
}

/** Token counts as the API reports them (`inputTokens` excludes cache reads and writes). */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** Every cache write, whatever its TTL. */
  cacheWriteTokens: number;
  /** The part of `cacheWriteTokens` written with the 1-hour TTL (absent: none). */
  cacheWrite1hTokens?: number;
  webSearchRequests?: number;
}

/** What `usage` cost on `modelId`, in USD rounded to the nearest millionth of a dollar. */
export function costOf(params: { usage: TokenUsage; modelId: string; table: PriceTable }): number {
  const { usage } = params;
  const price = priceFor(params.table, params.modelId);
  const longWrites = Math.min(usage.cacheWrite1hTokens ?? 0, usage.cacheWriteTokens);
  // Tokens × USD per million tokens is exactly micro-dollars; a search costs per1000 / 1000 USD.
  const microUsd =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    (usage.cacheWriteTokens - longWrites) * price.cacheWrite +
    longWrites * cacheWrite1hPrice(price) +
    usage.cacheReadTokens * price.cacheRead +
    (usage.webSearchRequests ?? 0) * price.webSearchPer1000 * 1000;
  return Math.round(microUsd) / 1_000_000;
}
