import { z } from 'zod';
import { BotError, ExternalServiceError, InvariantError } from '../../errors.js';

/** The parts of an Octokit `RequestError` we read: its status, the request, the response headers. */
const RequestFailure = z.object({
  status: z.number().int(),
  request: z.object({ method: z.string(), url: z.string() }).optional(),
  response: z.object({ headers: z.record(z.string(), z.unknown()) }).optional(),
});
type RequestFailure = z.infer<typeof RequestFailure>;

function asRequestFailure(error: unknown): RequestFailure | null {
  if (!(error instanceof Error)) return null;
  const parsed = RequestFailure.safeParse(error);
  return parsed.success ? parsed.data : null;
}

/**
 * True when a failed request may still have been applied by GitHub: a 5xx, or no response at all
 * (a timeout or a reset after the request was sent). Looks through `BotError`s at their cause.
 */
export function mayHaveBeenApplied(error: unknown): boolean {
  const failure = asRequestFailure(
    error instanceof BotError && error.cause !== undefined ? error.cause : error,
  );
  if (failure === null) return false;
  return failure.response === undefined || failure.status >= 500;
}

/** One entry of a GraphQL answer's `errors` (GitHub adds `type` and `path` to most). */
const GraphqlError = z.object({
  message: z.string(),
  type: z.string().optional(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
});
export type GraphqlError = z.infer<typeof GraphqlError>;

/** What Octokit's `GraphqlResponseError` carries: GitHub answered 200 with `errors`. */
const GraphqlFailure = z.object({ errors: z.array(GraphqlError).min(1) });

/**
 * The `errors` of a GraphQL answer that Octokit rejected (looking through a `BotError` at its cause),
 * or `null` when `error` is something else (an HTTP failure, a bug).
 */
export function graphqlErrorsOf(error: unknown): GraphqlError[] | null {
  const inner = error instanceof BotError && error.cause !== undefined ? error.cause : error;
  if (!(inner instanceof Error)) return null;
  const parsed = GraphqlFailure.safeParse(inner);
  return parsed.success ? parsed.data.errors : null;
}

/** `createCommitOnBranch: STALE_DATA: Expected branch …`, one error after the other. */
function describeGraphqlErrors(errors: readonly GraphqlError[]): string {
  return errors
    .map((item) => [item.path?.join('.'), item.type, item.message].filter((part) => part).join(': '))
    .join('; ');
}

/** HTTP status of a failed Octokit request; `undefined` for anything else (GraphQL errors, bugs). */
export function statusOf(error: unknown): number | undefined {
  return asRequestFailure(error)?.status;
}

/**
 * Maps a failed GitHub call into the error hierarchy (docs/architecture.md, Errors), keeping it as `cause`:
 * - network failures (no response), 5xx and rate limits → retryable `ExternalServiceError`;
 * - 401 and 403 → `ExternalServiceError` too, naming the permission GitHub asks for when it says so
 *   (`x-accepted-github-permissions`), since granting it fixes the next attempt;
 * - any other 4xx (a request GitHub will never accept, or a resource that is gone) → `InvariantError`;
 * - errors without a status (GraphQL errors) → `ExternalServiceError`, naming the field, GitHub's
 *   error type and message of each. `BotError`s pass through.
 */
export function toBotError(error: unknown): BotError {
  if (error instanceof BotError) return error;
  const graphql = graphqlErrorsOf(error);
  if (graphql !== null) {
    return new ExternalServiceError(`GitHub GraphQL request failed: ${describeGraphqlErrors(graphql)}`, {
      cause: error,
    });
  }
  const failure = asRequestFailure(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (failure === null) return new ExternalServiceError(`GitHub call failed: ${detail}`, { cause: error });
  const request = failure.request ? `${failure.request.method} ${failure.request.url}` : 'request';
  const headers = failure.response?.headers ?? {};
  const { status } = failure;
  if (failure.response === undefined) {
    // Octokit reports a request that got no answer (DNS, reset, timeout) as a 500 without a response.
    return new ExternalServiceError(`GitHub ${request} got no response: ${detail}`, { cause: error });
  }
  if (status >= 500) {
    return new ExternalServiceError(`GitHub ${request} failed with ${status}: ${detail}`, { cause: error });
  }
  if (isRateLimited(status, headers)) {
    return new ExternalServiceError(`GitHub rate limit hit on ${request}`, { cause: error });
  }
  if (status === 401) {
    return new ExternalServiceError(`GitHub rejected the app's credentials on ${request}: ${detail}`, {
      cause: error,
    });
  }
  if (status === 403)
    return new ExternalServiceError(forbiddenMessage(request, headers, detail), { cause: error });
  return new InvariantError(`GitHub rejected ${request} with ${status}: ${detail}`, { cause: error });
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

function isRateLimited(status: number, headers: Record<string, unknown>): boolean {
  if (status === 429) return true;
  return (
    status === 403 &&
    (header(headers, 'x-ratelimit-remaining') === '0' || header(headers, 'retry-after') !== undefined)
  );
}

/**
 * `x-accepted-github-permissions` lists the permission sets that would allow the call, sets
 * separated by `;` and permissions within a set by `,` (e.g. `contents=write; pull_requests=write`).
 */
function forbiddenMessage(request: string, headers: Record<string, unknown>, detail: string): string {
  const accepted = header(headers, 'x-accepted-github-permissions');
  if (accepted === undefined || accepted.trim() === '') {
    return `GitHub refused ${request} (403): ${detail}`;
  }
  const sets = accepted
    .split(';')
    .map((set) => set.trim())
    .filter((set) => set !== '');
  return (
    `The GitHub App lacks a permission for ${request}: it needs ${sets.join(' or ')}. ` +
    'Grant it in the app settings and accept the new permissions on the installation.'
  );
}
