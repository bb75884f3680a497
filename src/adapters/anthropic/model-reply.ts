import { z } from 'zod';
import { ExternalServiceError } from '../../errors.js';
import type { ModelBlock, ModelReply } from '../../ports/model.js';

const TextBlock = z.object({ type: z.literal('text'), text: z.string() });
const ToolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
});

/**
 * A reply content block: `text` and `tool_use` become port blocks (a text block's `citations` are
 * dropped), every other type (`server_tool_use`, `web_search_tool_result`, `thinking`, …) is kept
 * whole as a `server` block, to be sent back as received.
 */
const ContentBlock = z.looseObject({ type: z.string() }).transform((raw, ctx): ModelBlock => {
  const schema = raw.type === 'text' ? TextBlock : raw.type === 'tool_use' ? ToolUseBlock : undefined;
  if (schema === undefined) return { type: 'server', raw };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    ctx.issues.push({ code: 'custom', message: issue.message, path: issue.path, input: raw });
  }
  return z.NEVER;
});

const Count = z
  .number()
  .int()
  .nonnegative()
  .nullish()
  .transform((count) => count ?? 0);

/** The fields of a Messages API reply (`Message`) that the adapter reads. */
export const ApiMessage = z.object({
  model: z.string(),
  content: z.array(ContentBlock),
  stop_reason: z.string().nullable(),
  usage: z.object({
    input_tokens: z.number().int().nonnegative(),
    output_tokens: z.number().int().nonnegative(),
    cache_creation_input_tokens: Count,
    cache_read_input_tokens: Count,
    /** Writes split by TTL; absent from older replies (then every write counts as 5-minute). */
    cache_creation: z.object({ ephemeral_1h_input_tokens: Count }).nullish(),
    server_tool_use: z.object({ web_search_requests: Count, web_fetch_requests: Count }).nullish(),
  }),
});
export type ApiMessage = z.infer<typeof ApiMessage>;

const STOP_REASONS = [
  'end_turn',
  'tool_use',
  'max_tokens',
  'stop_sequence',
  'pause_turn',
  'refusal',
] as const;

/** The port's stop reason; anything else (`model_context_window_exceeded`, a future value, null) is `other`. */
function toStopReason(reason: string | null): ModelReply['stopReason'] {
  return STOP_REASONS.find((known) => known === reason) ?? 'other';
}

/**
 * Parses a Messages API reply into a `ModelReply`. A reply the schema rejects is an
 * `ExternalServiceError` naming each missing or malformed field.
 */
export function parseModelReply(body: unknown): ModelReply {
  const parsed = ApiMessage.safeParse(body);
  if (!parsed.success) {
    throw new ExternalServiceError(
      `The Anthropic API returned a message the bot cannot read: ${z.prettifyError(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  const { model, content, stop_reason, usage } = parsed.data;
  return {
    model,
    content,
    stopReason: toStopReason(stop_reason),
    usage: {
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cacheReadTokens: usage.cache_read_input_tokens,
      cacheWriteTokens: usage.cache_creation_input_tokens,
      cacheWrite1hTokens: Math.min(
        usage.cache_creation?.ephemeral_1h_input_tokens ?? 0,
        usage.cache_creation_input_tokens,
      ),
      webSearchRequests: usage.server_tool_use?.web_search_requests ?? 0,
      webFetchRequests: usage.server_tool_use?.web_fetch_requests ?? 0,
    },
  };
}
