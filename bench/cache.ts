import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { replayBrightdesk } from './brightdesk-replay.js';
import { uncachedFraction } from './cache-figures.js';
import { runTestFixLoop } from './test-fix-loop.js';

/** The `cache` figures of the benchmark. */
export interface CacheBench {
  /** Model requests in the Brightdesk replay. */
  requests: number;
  /** Plain input plus cache writes, over all input tokens, across the Brightdesk replay. */
  uncached_input_fraction: number;
  /** The same share over a 60-turn test-and-fix loop. */
  long_loop_uncached_fraction: number;
  /** What the whole Brightdesk connector cost at list prices (USD). */
  usd_per_connector: number;
}

/**
 * Replays the Brightdesk run through the fake Messages API's prompt cache (real stage runner, tool
 * loop and SDK), then runs a synthetic 60-turn test-and-fix loop on the connector it built, and
 * returns the uncached share of input of each and the connector's cost at list prices.
 */
export async function benchCache(): Promise<CacheBench> {
  const { tally, rig, clock } = await replayBrightdesk();
  try {
    const loop = await runTestFixLoop(rig.github, clock.now);
    return {
      requests: tally.requests,
      uncached_input_fraction: round(uncachedFraction(tally)),
      long_loop_uncached_fraction: round(uncachedFraction(loop)),
      usd_per_connector: Math.round(tally.costUsd * 100) / 100,
    };
  } finally {
    await rig.close();
  }
}

function round(fraction: number): number {
  return Math.round(fraction * 1_000) / 1_000;
}

const invoked = process.argv[1] === undefined ? '' : realpathSync(process.argv[1]);
if (invoked === fileURLToPath(import.meta.url)) {
  benchCache().then(
    (figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
