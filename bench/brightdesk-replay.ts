import type { FakeAnthropicOptions } from '../test/fakes/fake-anthropic-server.js';
import {
  BRIGHTDESK_RUN,
  type BrightdeskRig,
  READ_TERMINATES_FAILURE,
  startBrightdeskRig,
} from '../test/helpers/brightdesk-stages.js';
import { addTurn, type InputTally, NO_INPUT } from './cache-figures.js';

/** Simulated seconds a model request takes, and minutes between two stages (CI, a maintainer's /approve). */
const REQUEST_SECONDS = 20;
const GATE_MINUTES = 30;

/** A clock that moves `REQUEST_SECONDS` each time the fake's prompt cache reads it (once a request). */
export function requestClock(): { now: () => number; wait(minutes: number): void } {
  let time = Date.parse('2026-01-01T00:00:00Z');
  return {
    now: () => {
      time += REQUEST_SECONDS * 1_000;
      return time;
    },
    wait: (minutes) => {
      time += minutes * 60_000;
    },
  };
}

/**
 * Replays the recorded Brightdesk run (both batches, the tester's failed first attempt included)
 * through the real stage runner and SDK against the caching fake, with a gate between stages long
 * enough for the cache to expire, as in a real run. Returns the input tally and the rig (closed by
 * the caller), whose branch holds the finished connector.
 */
export async function replayBrightdesk(
  fakeOptions: Omit<FakeAnthropicOptions, 'turns'> = {},
): Promise<{ tally: InputTally; rig: BrightdeskRig; clock: ReturnType<typeof requestClock> }> {
  const clock = requestClock();
  const rig = await startBrightdeskRig([], { cache: { now: clock.now }, ...fakeOptions });
  let tally = NO_INPUT;
  for (const step of BRIGHTDESK_RUN) {
    const before = rig.fake.requests.length;
    const ci = step.stage === 'test' && step.attempt === 2 ? READ_TERMINATES_FAILURE : null;
    const result = await rig.run(step, ci);
    if (result.outcome !== 'succeeded') {
      await rig.close();
      throw new Error(`The Brightdesk replay's ${step.stage} stage ${result.outcome}`);
    }
    tally = addTurn(tally, result.usage, rig.fake.requests.length - before);
    clock.wait(GATE_MINUTES);
  }
  return { tally, rig, clock };
}
