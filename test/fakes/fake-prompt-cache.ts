import { createHash } from 'node:crypto';

/** How the fake's prompt cache behaves; every field has the documented default. */
export interface PromptCacheOptions {
  /** Milliseconds since the epoch; the fake's clock (entries live `ttlMs` from their last use). */
  now?: () => number;
  /** Lifetime of an entry, refreshed on every hit: 5 minutes (the `5m` TTL). */
  ttlMs?: number;
  /** Block positions checked before a breakpoint for an earlier entry: 20. */
  lookbackBlocks?: number;
  /**
   * Minimum prefix length (tokens) a breakpoint needs to be cached, by model-id prefix (longest wins).
   * The documentation lists it per model: 1024 for Sonnet (4.x, 5) and for the newest Opus models,
   * more for some (4096 for Opus 4.5/4.6 and Haiku 4.5, 2048 for the Haiku 3 line). The defaults
   * take 1024 for Sonnet and Opus and 4096 for Haiku (its highest); a test may pass its own table.
   */
  minCacheableTokens?: Readonly<Record<string, number>>;
}

/** The three input figures of a Messages API `usage`. */
export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** A prompt cache shared by every request to one fake server. */
export interface PromptCache {
  /** Looks `body` up, writes its breakpoints, and returns the usage; a string is a 400 message. */
  use(body: Record<string, unknown>): CacheUsage | string;
}

const DEFAULT_MINIMUMS: Readonly<Record<string, number>> = {
  'claude-sonnet': 1_024,
  'claude-opus': 1_024,
  'claude-haiku': 4_096,
  '': 4_096,
};

const MAX_BREAKPOINTS = 4;

/** One block of the prompt in API order (tools, system, messages), as the cache sees it. */
interface PromptBlock {
  tokens: number;
  breakpoint: boolean;
  /** Hash of the whole prefix up to and including this block. */
  prefix: string;
}

/**
 * Prompt caching as the Messages API documents it: the prompt is tools, then system, then messages,
 * block by block; a block carrying `cache_control` (or the last block, for a top-level
 * `cache_control`) is a breakpoint. A request reads the longest prefix whose entry is live, looking
 * at each breakpoint and the `lookbackBlocks` positions before it (entries exist only where an
 * earlier request had a breakpoint); it writes an entry at each later breakpoint whose prefix
 * reaches the model's minimum. `cache_read_input_tokens` is the prefix read,
 * `cache_creation_input_tokens` runs from there to the last breakpoint written, and `input_tokens`
 * is the rest. A hit refreshes the entry's lifetime. More than four breakpoints is a 400.
 */
export function createPromptCache(options: PromptCacheOptions = {}): PromptCache {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const lookback = options.lookbackBlocks ?? 20;
  const minimums = options.minCacheableTokens ?? DEFAULT_MINIMUMS;
  const entries = new Map<string, number>();

  function minimumFor(model: string): number {
    const keys = Object.keys(minimums).filter((key) => model.startsWith(key));
    const best = keys.sort((a, b) => b.length - a.length)[0];
    return best === undefined ? (DEFAULT_MINIMUMS[''] ?? 4_096) : (minimums[best] ?? 4_096);
  }

  function live(prefix: string, at: number): boolean {
    const expires = entries.get(prefix);
    if (expires === undefined) return false;
    if (expires > at) return true;
    entries.delete(prefix);
    return false;
  }

  return {
    use(body) {
      const blocks = promptBlocks(body);
      const breakpoints = blocks.flatMap((block, index) => (block.breakpoint ? [index] : []));
      if (breakpoints.length > MAX_BREAKPOINTS) {
        return `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints.length}.`;
      }
      const at = now();
      const cumulative: number[] = [];
      blocks.reduce((sum, block, index) => {
        cumulative[index] = sum + block.tokens;
        return cumulative[index];
      }, 0);
      const total = cumulative.at(-1) ?? 0;
      let readEnd = -1;
      for (const breakpoint of breakpoints) {
        for (let index = breakpoint; index >= Math.max(0, breakpoint - lookback); index -= 1) {
          if (index <= readEnd) break;
          if (live(blocks[index]?.prefix ?? '', at)) {
            readEnd = index;
            break;
          }
        }
      }
      const read = readEnd < 0 ? 0 : (cumulative[readEnd] ?? 0);
      if (readEnd >= 0) entries.set(blocks[readEnd]?.prefix ?? '', at + ttlMs);
      const minimum = minimumFor(typeof body.model === 'string' ? body.model : '');
      let writeEnd = readEnd;
      for (const breakpoint of breakpoints) {
        if (breakpoint <= readEnd) {
          if (live(blocks[breakpoint]?.prefix ?? '', at))
            entries.set(blocks[breakpoint]?.prefix ?? '', at + ttlMs);
          continue;
        }
        if ((cumulative[breakpoint] ?? 0) < minimum) continue;
        entries.set(blocks[breakpoint]?.prefix ?? '', at + ttlMs);
        writeEnd = breakpoint;
      }
      const written = writeEnd < 0 ? 0 : (cumulative[writeEnd] ?? 0) - read;
      return {
        input_tokens: total - read - written,
        cache_creation_input_tokens: written,
        cache_read_input_tokens: read,
      };
    },
  };
}

/** The input tokens of a request body, as the fake counts them (characters / 4 per block, rounded up). */
export function countPromptTokens(body: Record<string, unknown>): number {
  return promptBlocks(body).reduce((sum, block) => sum + block.tokens, 0);
}

/** Tokens of one serialised block: a quarter of its characters, rounded up. */
function tokensOf(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The prompt's blocks in the order the API caches them, each with its prefix hash. */
function promptBlocks(body: Record<string, unknown>): PromptBlock[] {
  const raw: Array<{ key: string; block: unknown }> = [];
  for (const tool of asArray(body.tools)) raw.push({ key: 'tool', block: tool });
  const system =
    typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : asArray(body.system);
  for (const part of system) raw.push({ key: 'system', block: part });
  for (const message of asArray(body.messages)) {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    const parts = typeof content === 'string' ? [{ type: 'text', text: content }] : asArray(content);
    for (const part of parts) raw.push({ key: `message:${String(role)}`, block: part });
  }
  const automatic = isCacheControl(body.cache_control);
  let hash = createHash('sha256').update(String(body.model)).digest('hex');
  return raw.map(({ key, block }, index) => {
    const { cache_control: control, ...rest } = (block ?? {}) as Record<string, unknown>;
    const text = JSON.stringify(rest);
    hash = createHash('sha256').update(hash).update(key).update(text).digest('hex');
    return {
      tokens: tokensOf(text),
      breakpoint: isCacheControl(control) || (automatic && index === raw.length - 1),
      prefix: hash,
    };
  });
}

function isCacheControl(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'ephemeral';
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
