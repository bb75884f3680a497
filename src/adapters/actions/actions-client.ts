import type { Logger } from '../../logging.js';
import { statusOf, toBotError } from '../github/github-errors.js';
import type { GitHubClient } from '../github/repo-client.js';

/** A value, or how to get it on first use (an installation's Octokit, a file read from the repository). */
export type Lazy<T> = T | (() => Promise<T>);

/** What the Actions adapter needs for one repository. */
export interface ActionsCiParams {
  /** Octokit authenticated as the installation, e.g. `() => probot.auth(installationId)`; fetched once. */
  octokit: Lazy<GitHubClient>;
  owner: string;
  repo: string;
  /** The workflow file name in `.github/workflows/` (repo config `workflow`); read once, on first use. */
  workflowFile: Lazy<string>;
  log: Logger;
}

/** The adapter's view of one repository: the Octokit, the workflow file, and the error mapping. */
export interface ActionsClient {
  readonly owner: string;
  readonly repo: string;
  readonly log: Logger;
  workflowFile(): Promise<string>;
  /**
   * Runs `send`; a failure whose HTTP status `onStatus` handles becomes what it returns or throws,
   * any other becomes a `BotError` (`toBotError`: 5xx and network retryable).
   */
  call<T>(
    send: (octokit: GitHubClient) => Promise<T>,
    onStatus?: (status: number, error: unknown) => T | undefined,
  ): Promise<T>;
}

function once<T>(value: Lazy<T>): () => Promise<T> {
  if (typeof value !== 'function') return () => Promise.resolve(value);
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= (value as () => Promise<T>)().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** Binds the adapter to one repository. */
export function createActionsClient(params: ActionsCiParams): ActionsClient {
  const octokit = once(params.octokit);
  const workflowFile = once(params.workflowFile);
  return {
    owner: params.owner,
    repo: params.repo,
    log: params.log,
    workflowFile,
    async call(send, onStatus) {
      try {
        return await send(await octokit());
      } catch (error) {
        const status = statusOf(error);
        const handled = status === undefined ? undefined : onStatus?.(status, error);
        if (handled !== undefined) return handled;
        throw toBotError(error);
      }
    },
  };
}
