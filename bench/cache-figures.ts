import type { Usage } from '../src/domain/pipeline/run.js';

/** Input tokens of some model calls, split the way the API bills them. */
export interface InputTally {
  requests: number;
  /** `input_tokens`: after the last breakpoint, or not cacheable. */
  plain: number;
  /** `cache_creation_input_tokens`. */
  written: number;
  /** `cache_read_input_tokens`. */
  read: number;
  costUsd: number;
}

export const NO_INPUT: InputTally = { requests: 0, plain: 0, written: 0, read: 0, costUsd: 0 };

/** `tally` with one more call (or stage) of `usage` over `requests` requests. */
export function addTurn(tally: InputTally, usage: Usage, requests = 1): InputTally {
  return {
    requests: tally.requests + requests,
    plain: tally.plain + usage.inputTokens,
    written: tally.written + usage.cacheWriteTokens,
    read: tally.read + usage.cacheReadTokens,
    costUsd: tally.costUsd + usage.costUsd,
  };
}

/** The uncached share of input: plain input plus cache writes, over all input (0 with no input). */
export function uncachedFraction(tally: InputTally): number {
  const all = tally.plain + tally.written + tally.read;
  return all === 0 ? 0 : (tally.plain + tally.written) / all;
}
