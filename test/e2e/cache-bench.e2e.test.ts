import { describe, expect, it } from 'vitest';
import { benchCache } from '../../bench/cache.js';

describe('bench/cache.ts', () => {
  it('replays the Brightdesk run and a 60-turn test-and-fix loop through the caching fake', async () => {
    const figures = await benchCache();

    expect(figures.requests).toBe(45);
    expect(figures.uncached_input_fraction).toBeGreaterThan(0);
    expect(figures.uncached_input_fraction).toBeLessThan(0.45);
    expect(figures.long_loop_uncached_fraction).toBeLessThanOrEqual(0.1);
    expect(figures.usd_per_connector).toBeGreaterThan(0);
  }, 120_000);
});
