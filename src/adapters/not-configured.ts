import { ConfigError } from '../errors.js';
import type { CiPort } from '../ports/ci.js';
import type { GitHubPort } from '../ports/github.js';
import type { StageRunner } from '../ports/stage-runner.js';
import type { RepoRef } from '../workers/worker-deps.js';

/**
 * Ports this build cannot provide yet (the GitHub, Actions and agent adapters are built after the
 * run engine). Any job that needs one fails for good with a message saying so; it is never retried
 * and never pretends to have done the work.
 */
function missing(what: string): never {
  throw new ConfigError(`${what} is not available in this build of lakeflow-connector-bot.`);
}

/** A GitHub port factory that refuses every call. */
export function notConfiguredGitHub(_repo: RepoRef): GitHubPort {
  return new Proxy({} as GitHubPort, {
    get: (_target, property) => (property === 'then' ? undefined : () => missing('The GitHub adapter')),
  });
}

/** An Actions port factory that refuses every call. */
export function notConfiguredCi(_repo: RepoRef): CiPort {
  return new Proxy({} as CiPort, {
    get: (_target, property) =>
      property === 'then' ? undefined : () => missing('The GitHub Actions adapter'),
  });
}

/** A stage runner that refuses every stage. */
export const notConfiguredStageRunner: StageRunner = {
  runStage: async () => missing('The agent runtime'),
  verifyStage: async () => missing('The agent runtime'),
};
