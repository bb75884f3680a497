import { ConfigError } from '../errors.js';
import type { CiPort } from '../ports/ci.js';
import type { RepoRef } from '../workers/worker-deps.js';

/**
 * Ports this build cannot provide yet (the Actions adapter comes with the CI work). Any job that
 * needs one fails for good with a message saying so; it is never retried and never pretends to
 * have done the work.
 */
function missing(what: string): never {
  throw new ConfigError(`${what} is not available in this build of lakeflow-connector-bot.`);
}

/** An Actions port factory that refuses every call. */
export function notConfiguredCi(_repo: RepoRef): CiPort {
  return new Proxy({} as CiPort, {
    get: (_target, property) =>
      property === 'then' ? undefined : () => missing('The GitHub Actions adapter'),
  });
}
