import type { ModelBlock, ModelMessage, ModelTool, SystemPart } from '../ports/model.js';

/** The context window of current Claude models, in tokens, unless the limits say otherwise. */
export const DEFAULT_CONTEXT_WINDOW_TOKENS = 200_000;

/**
 * Characters per token the estimate assumes. English prose runs near 4, code and JSON nearer 3:
 * taking 3 makes the estimate run high, so a request is trimmed before the API would refuse it.
 */
const CHARS_PER_TOKEN = 3;

/** Trimming starts when the estimate passes this share of the room left for input… */
const HIGH_WATER = 0.85;
/** …and clears old tool output until it is under this share, so trims are rare and batched. */
const LOW_WATER = 0.55;

/** The newest messages are never cleared: the model is working on them (the last two turns; one when forced). */
const KEEP_RECENT_MESSAGES = 4;
const KEEP_RECENT_FORCED = 2;

/** Tool output shorter than this is left alone: its stub would not be much shorter. */
const MIN_CLEARED_CHARS = 400;

/** An estimate of a request's input tokens, from its serialised length. */
export function estimateTokens(request: {
  system: readonly SystemPart[];
  tools: readonly ModelTool[];
  messages: readonly ModelMessage[];
}): number {
  return Math.ceil(JSON.stringify(request).length / CHARS_PER_TOKEN);
}

/** What the history must fit: the model's window less the reply's `max_tokens`, and what else is sent. */
export interface FitLimits {
  windowTokens: number;
  maxOutputTokens: number;
  /** Estimated tokens of the system prompt and tools (sent with every request, never trimmed). */
  fixedTokens: number;
}

/** The history to send, and how many blocks this call cleared (0: the history is unchanged). */
export interface Fitted {
  messages: ModelMessage[];
  cleared: number;
}

/**
 * Keeps a long tool loop inside the model's window. Under the high-water mark the history is
 * returned as is, so the cached prefix stays identical from turn to turn. Past it (or always, with
 * `force`, after the API said the prompt is too long), the oldest tool results, then the oldest long
 * tool inputs (file contents written), are replaced by a one-line stub naming the call and how to get
 * it back, until the estimate is under the low-water mark: one trim clears a batch, so the prefix
 * changes once per trim and not every turn. The first message (the phase context) and the newest
 * two turns are never cleared. With `force`, the target is also at most half the current estimate,
 * and only the newest turn is kept whole.
 */
export function fitHistory(messages: readonly ModelMessage[], limits: FitLimits, force = false): Fitted {
  const room = limits.windowTokens - limits.maxOutputTokens;
  const out = [...messages];
  let total = limits.fixedTokens + estimateTokens({ system: [], tools: [], messages: out });
  if (!force && total <= room * HIGH_WATER) return { messages: out, cleared: 0 };
  const target = force ? Math.min(room * LOW_WATER, total / 2) : room * LOW_WATER;
  const calls = toolCalls(messages);
  let cleared = 0;
  for (const clear of [clearResult, clearInput] as const) {
    const keep = force ? KEEP_RECENT_FORCED : KEEP_RECENT_MESSAGES;
    for (let index = 1; index < out.length - keep && total > target; index += 1) {
      const message = out[index];
      if (message === undefined) continue;
      const content = [...message.content];
      let changed = false;
      for (let at = 0; at < content.length && total > target; at += 1) {
        const block = content[at];
        const stub = block === undefined ? null : clear(block, calls);
        if (block === undefined || stub === null) continue;
        total -= Math.ceil((JSON.stringify(block).length - JSON.stringify(stub).length) / CHARS_PER_TOKEN);
        content[at] = stub;
        cleared += 1;
        changed = true;
      }
      if (changed) out[index] = { ...message, content };
    }
  }
  return { messages: out, cleared };
}

type Call = { name: string; input: unknown };

function toolCalls(messages: readonly ModelMessage[]): Map<string, Call> {
  const calls = new Map<string, Call>();
  for (const message of messages) {
    for (const block of message.content) {
      if (block.type === 'tool_use') calls.set(block.id, { name: block.name, input: block.input });
    }
  }
  return calls;
}

/** A call as the stub names it: `read_file({"path":"a.py"})`, long inputs shortened. */
function describeCall(call: Call | undefined): string {
  if (call === undefined) return 'an earlier tool call';
  const input = JSON.stringify(call.input, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 80 ? `${value.slice(0, 60)}…` : value,
  );
  return `${call.name}(${input.length > 200 ? `${input.slice(0, 200)}…` : input})`;
}

/** The stub of a long tool result, or null when the block is not one. */
function clearResult(block: ModelBlock, calls: Map<string, Call>): ModelBlock | null {
  if (block.type !== 'tool_result' || block.content.length < MIN_CLEARED_CHARS) return null;
  return {
    ...block,
    content: `[tool result of ${describeCall(calls.get(block.tool_use_id))} cleared to fit the context window; call the tool again if you need it]`,
  };
}

/** A tool call whose long string inputs (a file written) are replaced by their size, or null. */
function clearInput(block: ModelBlock): ModelBlock | null {
  if (block.type !== 'tool_use' || typeof block.input !== 'object' || block.input === null) return null;
  const input = block.input as Record<string, unknown>;
  const long = Object.entries(input).filter(
    ([, value]) => typeof value === 'string' && value.length >= MIN_CLEARED_CHARS,
  );
  if (long.length === 0) return null;
  const shortened = { ...input };
  for (const [key, value] of long) {
    shortened[key] =
      `[${(value as string).length} characters cleared to fit the context window; read the file for its current text]`;
  }
  return { ...block, input: shortened };
}
