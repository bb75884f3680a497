import { createHash } from 'node:crypto';

/** How the fake's prompt cache behaves; every field has the documented default. */
export interface PromptCacheOptions {
  /** Milliseconds since the epoch; the fake's clock (an entry lives its TTL from its last use). */
  now?: () => number;
  /** Lifetime of an entry by its breakpoint's `ttl`, refreshed on every hit: 5 minutes and 1 hour. */
  lifetimesMs?: Readonly<Record<CacheTtl, number>>;
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

/** The `ttl` of a `cache_control` breakpoint; absent means `5m`. */
export type CacheTtl = '5m' | '1h';

/** The input figures of a Messages API `usage`, writes split by TTL in `cache_creation`. */
export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
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

const DEFAULT_LIFETIMES: Readonly<Record<CacheTtl, number>> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

/** One block of the prompt in API order (tools, system, messages), as the cache sees it. */
interface PromptBlock {
  tokens: number;
  /** The TTL of its `cache_control`; null when it is no breakpoint. */
  breakpoint: CacheTtl | null;
  /** Hash of the whole prefix up to and including this block. */
  prefix: string;
}

/** A cached prefix: when it expires, and the lifetime each hit gives it again. */
interface Entry {
  expires: number;
  lifetimeMs: number;
}

/**
 * Prompt caching as the Messages API documents it: the prompt is tools, then system, then messages,
 * block by block; a block carrying `cache_control` (or the last block, for a top-level
 * `cache_control`) is a breakpoint, with a `ttl` of `5m` (the default) or `1h`. A request reads the
 * longest prefix whose entry is live, looking at each breakpoint and the `lookbackBlocks` positions
 * before it (entries exist only where an earlier request had a breakpoint); it writes an entry at
 * each later breakpoint whose prefix reaches the model's minimum, living that breakpoint's TTL. A hit
 * refreshes an entry for its own TTL (a breakpoint marking a live entry with a longer TTL extends it:
 * the fake's choice, the documentation does not say). Usage follows the documented billing of mixed
 * TTLs: with A the prefix read, B the end of the last `1h` breakpoint written (A if none) and C the
 * end of the last breakpoint written, `cache_read_input_tokens` is A, `ephemeral_1h_input_tokens`
 * B − A, `ephemeral_5m_input_tokens` C − B, `cache_creation_input_tokens` their sum and
 * `input_tokens` the rest. Answers 400 (a string) to more than four breakpoints, to an unknown
 * `ttl`, and to a `1h` breakpoint after a `5m` one (longer TTLs must come first).
 */
export function createPromptCache(options: PromptCacheOptions = {}): PromptCache {
  const now = options.now ?? Date.now;
  const lifetimes = options.lifetimesMs ?? DEFAULT_LIFETIMES;
  const lookback = options.lookbackBlocks ?? 20;
  const minimums = options.minCacheableTokens ?? DEFAULT_MINIMUMS;
  const entries = new Map<string, Entry>();

  function minimumFor(model: string): number {
    const keys = Object.keys(minimums).filter((key) => model.startsWith(key));
    const best = keys.sort((a, b) => b.length - a.length)[0];
    return best === undefined ? (DEFAULT_MINIMUMS[''] ?? 4_096) : (minimums[best] ?? 4_096);
  }

  function live(prefix: string, at: number): Entry | null {
    const entry = entries.get(prefix);
    if (entry === undefined) return null;
    if (entry.expires > at) return entry;
    entries.delete(prefix);
    return null;
  }

  /** Keeps `prefix` for `lifetimeMs` from `at`, or for its own longer lifetime when it is live. */
  function keep(prefix: string, at: number, lifetimeMs: number): void {
    const longest = Math.max(lifetimeMs, live(prefix, at)?.lifetimeMs ?? 0);
    entries.set(prefix, { expires: at + longest, lifetimeMs: longest });
  }

  return {
    use(body) {
      const blocks = promptBlocks(body);
      if (typeof blocks === 'string') return blocks;
      const breakpoints = blocks.flatMap((block, index) => (block.breakpoint ? [index] : []));
      if (breakpoints.length > MAX_BREAKPOINTS) {
        return `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints.length}.`;
      }
      const ttls = breakpoints.map((index) => blocks[index]?.breakpoint);
      if (ttls.some((ttl, index) => ttl === '1h' && ttls.slice(0, index).includes('5m'))) {
        return "a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`.";
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
      const hit = readEnd < 0 ? null : live(blocks[readEnd]?.prefix ?? '', at);
      if (hit) keep(blocks[readEnd]?.prefix ?? '', at, hit.lifetimeMs);
      const minimum = minimumFor(typeof body.model === 'string' ? body.model : '');
      let longEnd = read;
      let writeEnd = read;
      for (const breakpoint of breakpoints) {
        const { prefix = '', breakpoint: ttl = '5m' } = blocks[breakpoint] ?? {};
        const lifetimeMs = lifetimes[ttl ?? '5m'];
        if (breakpoint <= readEnd) {
          if (live(prefix, at)) keep(prefix, at, lifetimeMs);
          continue;
        }
        const end = cumulative[breakpoint] ?? 0;
        if (end < minimum) continue;
        keep(prefix, at, lifetimeMs);
        writeEnd = end;
        if (ttl === '1h') longEnd = end;
      }
      return {
        input_tokens: total - writeEnd,
        cache_creation_input_tokens: writeEnd - read,
        cache_read_input_tokens: read,
        cache_creation: {
          ephemeral_5m_input_tokens: writeEnd - longEnd,
          ephemeral_1h_input_tokens: longEnd - read,
        },
      };
    },
  };
}

/** The input tokens of a request body, as the fake counts them (characters / 4 per block, rounded up). */
export function countPromptTokens(body: Record<string, unknown>): number {
  const blocks = promptBlocks(body);
  return typeof blocks === 'string' ? 0 : blocks.reduce((sum, block) => sum + block.tokens, 0);
}

/** Tokens of one serialised block: a quarter of its characters, rounded up. */
function tokensOf(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The prompt's blocks in the order the API caches them, each with its prefix hash; a string is a 400 message. */
function promptBlocks(body: Record<string, unknown>): PromptBlock[] | string {
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
  const automatic = cacheTtl(body.cache_control);
  if (automatic === 'invalid') return INVALID_TTL;
  let hash = createHash('sha256').update(String(body.model)).digest('hex');
  const blocks: PromptBlock[] = [];
  for (const [index, { key, block }] of raw.entries()) {
    const { cache_control: control, ...rest } = (block ?? {}) as Record<string, unknown>;
    const ttl = cacheTtl(control);
    if (ttl === 'invalid') return INVALID_TTL;
    const text = JSON.stringify(rest);
    hash = createHash('sha256').update(hash).update(key).update(text).digest('hex');
    blocks.push({
      tokens: tokensOf(text),
      breakpoint: ttl ?? (index === raw.length - 1 ? automatic : null),
      prefix: hash,
    });
  }
  return blocks;
}

const INVALID_TTL = "cache_control.ttl: Input should be '5m' or '1h'";

/** The TTL of a `cache_control` value (`5m` when it names none), null for none, `invalid` for a bad one. */
function cacheTtl(value: unknown): CacheTtl | null | 'invalid' {
  if (typeof value !== 'object' || value === null) return null;
  const { type, ttl } = value as { type?: unknown; ttl?: unknown };
  if (type !== 'ephemeral') return null;
  if (ttl === undefined) return '5m';
  return ttl === '5m' || ttl === '1h' ? ttl : 'invalid';
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
