import { replyLimitKey } from '../domain/commands/reply-limit-key.js';
import type { RepoRef, WorkerDeps } from './worker-deps.js';

/** True while `login` may still get a reply from the worker in `repo` (always without a limiter: the CLI). */
export async function mayReply(
  deps: Pick<WorkerDeps, 'allowReply'>,
  repo: Pick<RepoRef, 'owner' | 'repo'>,
  login: string,
): Promise<boolean> {
  return deps.allowReply === undefined || (await deps.allowReply(replyLimitKey(repo, login)));
}
