import Anthropic from '@anthropic-ai/sdk';
import type { ModelPort, ModelReply } from '../../ports/model.js';
import { toModelError } from './model-errors.js';
import { parseModelReply } from './model-reply.js';
import { buildMessageRequest } from './model-request.js';

/** Retries of a transient failure inside the SDK before the adapter gives up. */
const DEFAULT_MAX_RETRIES = 4;

/** The SDK's own default per-attempt timeout (10 minutes). */
const DEFAULT_TIMEOUT_MS = 600_000;

/** How to reach the Messages API. */
export interface AnthropicModelParams {
  /** The API key, sent as `authorization: Bearer <key>`. */
  apiKey: string;
  /** API root; when absent the SDK reads `ANTHROPIC_BASE_URL`, then uses `https://api.anthropic.com`. */
  baseURL?: string;
  /**
   * Retries of 408, 409, 429, 5xx (529 included) and connection errors, done by the SDK with
   * exponential backoff (0.5 s doubling to 8 s) or the wait `retry-after-ms` / `retry-after` asks
   * for. Default 4.
   */
  maxRetries?: number;
  /**
   * Timeout of each attempt, default 10 minutes. It is always passed to the SDK: without an explicit
   * timeout the SDK refuses non-streaming requests whose `max_tokens` could take over 10 minutes.
   */
  timeoutMs?: number;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
}

/**
 * `ModelPort` over `@anthropic-ai/sdk`: one non-streaming `client.messages.create` per call, built
 * by `buildMessageRequest` and read back through `parseModelReply`. Transient failures are retried
 * by the SDK; what is left becomes a `BotError` (`toModelError`). An abort through `signal` rejects
 * with the signal's reason.
 */
export function createAnthropicModel(params: AnthropicModelParams): ModelPort {
  const client = new Anthropic({
    apiKey: params.apiKey,
    baseURL: params.baseURL,
    maxRetries: params.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeout: params.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(params.fetch ? { fetch: params.fetch } : {}),
  });
  return {
    async createMessage({ signal, ...request }): Promise<ModelReply> {
      signal?.throwIfAborted();
      const body = buildMessageRequest(request);
      let message: unknown;
      try {
        message = await client.messages.create(body, signal ? { signal } : undefined);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw toModelError(error);
      }
      return parseModelReply(message);
    },
  };
}
