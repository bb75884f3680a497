import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from './memory-rate-limiter.js';

describe('createMemoryRateLimiter', () => {
  it('allows `limit` hits per key in a window from the first hit, then refuses until it ends', async () => {
    let now = 1_000;
    const allow = createMemoryRateLimiter({ limit: 2, windowSeconds: 60, now: () => now });

    expect([await allow('a'), await allow('a'), await allow('a'), await allow('b')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    now += 59_000;
    expect(await allow('a')).toBe(false);
    now += 2_000;
    expect(await allow('a')).toBe(true);
  });
});
