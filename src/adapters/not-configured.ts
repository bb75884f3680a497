import { ConfigError } from '../errors.js';
import type { CiPort } from '../ports/ci.js';
import type { RepoRef } from '../workers/worker-deps.js';

/**
 * Ports a composition did not provide (the worker harness of the queue tests has no Actions). Any
 * job that needs one fails for good with a message saying so; it is never retried and never
 * pretends to have done the work.
 */
function missing(what: string): never {
  throw new ConfigError(`${what} is not available in this build of lakeflow-connector-bot.`);
}

/** An Actions port factory that refuses every call (the app wires `createActionsCi`). */
export function notConfiguredCi(_repo: RepoRef): CiPort {
  return new Proxy({} as CiPort, {
    get: (_target, property) =>
      property === 'then' ? undefined : () => missing('The GitHub Actions adapter'),
  });
}
