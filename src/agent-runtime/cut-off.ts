import type { ModelBlock } from '../ports/model.js';

/**
 * The answer to a tool call cut off at `max_tokens`: it is not run (its input may be incomplete:
 * a truncated file would be written as if whole), and the model is told to send it again in parts.
 */
export function cutOffResult(call: { id: string; name: string }, maxTokens: number): ModelBlock {
  return {
    type: 'tool_result',
    tool_use_id: call.id,
    is_error: true,
    content:
      `Not run: your reply reached the output limit (${maxTokens} tokens) while writing this ${call.name} call, ` +
      'so its input may be incomplete. Send it again in smaller parts: write a long file as a first part ' +
      'with write_file, then add the rest with edit_file calls of a few hundred lines each.',
  };
}

/** The nudge after a text reply cut off at `max_tokens`. */
export function cutOffNudge(maxTokens: number): string {
  return (
    `Your reply reached the output limit (${maxTokens} tokens) and was cut off. Continue from where it ` +
    'stopped, in shorter steps, and call `submit` with your report when you are done.'
  );
}
