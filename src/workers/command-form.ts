import { prefixCommandMentions } from '../domain/commands/command-prefix.js';
import type { RepoRef, WorkerDeps } from './worker-deps.js';

/**
 * Whether commands in `repo` count only as `/lakeflow <command>`: the operator requires it of every
 * repository (`OPERATOR_REQUIRE_COMMAND_PREFIX`), or the repository config's `commands.requirePrefix`
 * says so (read through `deps.access`: cached a minute, the default `false` when unreadable).
 */
export async function isCommandPrefixRequired(
  deps: Pick<WorkerDeps, 'access' | 'requireCommandPrefix'>,
  repo: RepoRef,
): Promise<boolean> {
  if (deps.requireCommandPrefix === true) return true;
  return (await deps.access.settings(repo)).commands.requirePrefix;
}

/**
 * Writes the commands a body mentions in the form `repo` takes: `` `/approve` `` becomes
 * `` `/lakeflow approve` `` where the prefix is required, and the body is unchanged elsewhere. The
 * setting is read once, when the first body is spelt.
 */
export function commandSpeller(
  deps: Pick<WorkerDeps, 'access' | 'requireCommandPrefix'>,
  repo: RepoRef,
): (body: string) => Promise<string> {
  let required: Promise<boolean> | undefined;
  return async (body) => {
    required ??= isCommandPrefixRequired(deps, repo);
    return (await required) ? prefixCommandMentions(body) : body;
  };
}
