import { InvariantError } from '../errors.js';

/** A block of a model message, in the shape of the Messages API. */
export type ModelBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean }
  /** Server-tool blocks (`server_tool_use`, `web_search_tool_result`, `web_fetch_tool_result`, …): sent back as received. */
  | { type: 'server'; raw: { type: string } & Record<string, unknown> };

/** One message of the conversation; the loop always sends the full history. */
export interface ModelMessage {
  role: 'user' | 'assistant';
  content: ModelBlock[];
}

/** How long a prompt-cache entry lives from its last use: the API's `5m` (default) or `1h` TTL. */
export type CacheTtl = '5m' | '1h';

/**
 * A part of the system prompt; `cache` marks the end of a cacheable prefix (`cache_control`) with
 * the lifetime of its entry, `false` none. A `1h` part may not follow a `5m` one (the API's rule).
 */
export interface SystemPart {
  text: string;
  cache: CacheTtl | false;
}

/** A client tool the model may call: name, description and the JSON Schema of its input. */
export interface ModelTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** Anthropic's server tools, run by the API itself (research only). */
export interface ServerTools {
  webSearch?: { maxUses: number };
  /** Only hosts in `allowedDomains` (subdomains included) may be fetched; never offered with none. */
  webFetch?: { maxUses: number; allowedDomains: readonly string[] };
}

/** Token use of one model call. */
export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** Every cache write, whatever its TTL. */
  cacheWriteTokens: number;
  /** The part of `cacheWriteTokens` written with the 1-hour TTL (priced higher). */
  cacheWrite1hTokens: number;
  webSearchRequests: number;
  webFetchRequests: number;
}

/** A model reply: content blocks, why it stopped, and what it used. */
export interface ModelReply {
  content: ModelBlock[];
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'pause_turn' | 'refusal' | 'other';
  usage: ModelUsage;
  model: string;
}

/**
 * The language model (Anthropic's Messages API in production). The agent runtime drives the tool
 * loop; the port sends one request with the full history and returns the reply. Transient API
 * failures (429, 529, 5xx) are retried inside the adapter, honouring `retry-after`; what is left
 * is thrown as `ExternalServiceError`.
 */
export interface ModelPort {
  createMessage(params: {
    model: string;
    system: SystemPart[];
    messages: ModelMessage[];
    tools: ModelTool[];
    serverTools?: ServerTools;
    maxTokens: number;
    signal?: AbortSignal;
  }): Promise<ModelReply>;
}

/**
 * The API refused a request because its prompt does not fit the model's context window (400
 * `invalid_request_error`: `prompt is too long: …`, or input plus `max_tokens` over the limit). The
 * tool loop trims its history and retries once; otherwise it fails like any other refused request.
 */
export class PromptTooLongError extends InvariantError {}
