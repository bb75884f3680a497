import { ConfigError } from '../../errors.js';
import type { ModelPort } from '../../ports/model.js';

/** What a phase run without `ANTHROPIC_API_KEY` fails with: the maintainer's next step, in one line. */
export const MISSING_KEY_MESSAGE =
  'No ANTHROPIC_API_KEY is set where the bot runs, so no phase can run (planning needs none). Set it, restart the bot, then `/retry`.';

/**
 * The model of a bot started without an Anthropic key: every request fails with a `ConfigError`
 * (never retried), so the phase fails at once with `MISSING_KEY_MESSAGE` and nothing is sent.
 */
export function createMissingKeyModel(): ModelPort {
  return {
    async createMessage() {
      throw new ConfigError(MISSING_KEY_MESSAGE);
    },
  };
}
