import { AnthropicError, APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { BotError, ConfigError, ExternalServiceError, InvariantError } from '../../errors.js';
import { PromptTooLongError } from '../../ports/model.js';

/** How the API words a 400 for a prompt over the context window (with or without `max_tokens`). */
const PROMPT_TOO_LONG = /prompt is too long|exceed context limit/i;

/** Statuses the SDK has already retried (`maxRetries` times) and that may pass later. */
function isTransient(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function describeApiError(error: APIError): string {
  const what = error.type && error.apiMessage ? `${error.type}: ${error.apiMessage}` : error.message;
  return error.requestID ? `${what} (request-id ${error.requestID})` : what;
}

/**
 * Maps what `client.messages.create` threw, once the SDK's own retries are spent, into the
 * error hierarchy (docs/architecture.md, Errors), keeping it as `cause`:
 * - connection errors and timeouts, 408, 409, 429, 529 and other 5xx → `ExternalServiceError`;
 * - 401 and 403 → `ConfigError` telling to check `ANTHROPIC_API_KEY`;
 * - a 400 saying the prompt is too long for the context window → `PromptTooLongError`;
 * - any other 4xx (400, 404, 413, …) and SDK-side refusals → `InvariantError`: the request was wrong;
 * - anything unknown → `ExternalServiceError`. `BotError`s pass through.
 * An abort is not mapped here: the adapter rethrows the signal's reason.
 */
export function toModelError(error: unknown): BotError {
  if (error instanceof BotError) return error;
  if (error instanceof APIConnectionError) {
    return new ExternalServiceError(`The Anthropic API could not be reached: ${error.message}`, {
      cause: error,
    });
  }
  if (error instanceof APIError && error.status !== undefined) {
    const { status } = error;
    const detail = describeApiError(error);
    if (status === 401 || status === 403) {
      return new ConfigError(
        `The Anthropic API refused the credentials (${status}); check ANTHROPIC_API_KEY. ${detail}`,
        { cause: error },
      );
    }
    if (isTransient(status)) {
      return new ExternalServiceError(`The Anthropic API failed with ${status}: ${detail}`, { cause: error });
    }
    if (status === 400 && PROMPT_TOO_LONG.test(detail)) {
      return new PromptTooLongError(`The prompt does not fit the model's context window: ${detail}`, {
        cause: error,
      });
    }
    return new InvariantError(`The Anthropic API rejected the request with ${status}: ${detail}`, {
      cause: error,
    });
  }
  if (error instanceof AnthropicError) {
    return new InvariantError(`The Anthropic SDK refused the request: ${error.message}`, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ExternalServiceError(`The Anthropic call failed: ${detail}`, { cause: error });
}
