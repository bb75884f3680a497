import type { ProbotOctokit } from 'probot';
import type { z } from 'zod';
import { InvariantError } from '../../errors.js';
import { statusOf, toBotError } from './github-errors.js';

/** The Octokit client the adapter talks through: Probot's, endpoint methods under `rest`. */
export type GitHubClient = ProbotOctokit;

/** Values to return instead of failing, by HTTP status of the failed request. */
export type StatusFallbacks<F> = Partial<Record<number, (error: unknown) => F | Promise<F>>>;

/** One repository of one installation, with every request's failures mapped to `BotError`s. */
export interface RepoClient {
  readonly owner: string;
  readonly repo: string;
  /** Login of the app's bot user (`<app-slug>[bot]`): the author of the comments it owns. */
  readonly botLogin: string;
  /** Runs `send`; a failure whose status has a fallback returns it, any other becomes a `BotError`. */
  call<T, F = never>(
    send: (octokit: GitHubClient) => Promise<T>,
    fallbacks?: StatusFallbacks<F>,
  ): Promise<T | F>;
  /** Sends one request and parses the response body with `schema` (only the fields we read). */
  get<S extends z.ZodType>(
    schema: S,
    send: (octokit: GitHubClient) => Promise<{ data: unknown }>,
  ): Promise<z.infer<S>>;
  /** Like `get`, but a 404 or 410 (it does not exist) is `null`. */
  getOrNull<S extends z.ZodType>(
    schema: S,
    send: (octokit: GitHubClient) => Promise<{ data: unknown }>,
  ): Promise<z.infer<S> | null>;
}

/** A 404 or 410 means "it does not exist": `null`. */
export const MISSING_AS_NULL: StatusFallbacks<null> = { 404: () => null, 410: () => null };

/** Parses a GitHub response body; a body we cannot read is a bug on our side, not worth a retry. */
export function parseData<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new InvariantError(`Unexpected GitHub response: ${parsed.error.message}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** Binds a client to one repository. The Octokit is fetched once, on first use, and reused. */
export function createRepoClient(params: {
  owner: string;
  repo: string;
  botLogin: string;
  getOctokit: () => Promise<GitHubClient>;
}): RepoClient {
  let octokit: Promise<GitHubClient> | undefined;
  const getOctokit = (): Promise<GitHubClient> => {
    octokit ??= params.getOctokit().catch((error: unknown) => {
      octokit = undefined;
      throw error;
    });
    return octokit;
  };
  async function call<T, F = never>(
    send: (client: GitHubClient) => Promise<T>,
    fallbacks?: StatusFallbacks<F>,
  ): Promise<T | F> {
    try {
      return await send(await getOctokit());
    } catch (error) {
      const status = statusOf(error);
      const fallback = status === undefined ? undefined : fallbacks?.[status];
      if (fallback) return fallback(error);
      throw toBotError(error);
    }
  }
  return {
    owner: params.owner,
    repo: params.repo,
    botLogin: params.botLogin,
    call,
    get: async (schema, send) => parseData(schema, (await call(send)).data),
    getOrNull: async (schema, send) => {
      const response = await call(send, MISSING_AS_NULL);
      return response === null ? null : parseData(schema, response.data);
    },
  };
}
