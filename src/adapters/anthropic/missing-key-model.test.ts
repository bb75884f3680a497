import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { createMissingKeyModel, MISSING_KEY_MESSAGE } from './missing-key-model.js';

describe('createMissingKeyModel', () => {
  it('fails every request with a ConfigError (never retried) saying to set the key', async () => {
    const request = createMissingKeyModel().createMessage({
      model: 'claude-sonnet-5-5',
      system: [],
      messages: [],
      tools: [],
      maxTokens: 10,
    });

    await expect(request).rejects.toBeInstanceOf(ConfigError);
    await expect(request).rejects.toThrow(MISSING_KEY_MESSAGE);
  });
});
