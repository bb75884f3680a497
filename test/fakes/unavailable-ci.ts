import { ConfigError } from '../../src/errors.js';
import type { CiPort } from '../../src/ports/ci.js';
import type { RepoRef } from '../../src/workers/worker-deps.js';

/**
 * The Actions port of worker tests that have no Actions: every call fails for good with a message
 * saying so (a dispatch then fails the stage with that reason), never retried, never pretending.
 */
function missing(what: string): never {
  throw new ConfigError(`${what} is not available in this build of lakeflow-connector-bot.`);
}

/** An Actions port factory that refuses every call. */
export function unavailableCi(_repo: RepoRef): CiPort {
  return new Proxy({} as CiPort, {
    get: (_target, property) =>
      property === 'then' ? undefined : () => missing('The GitHub Actions adapter'),
  });
}
