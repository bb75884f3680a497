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
 * - errors without a status (GraphQL errors) → `ExternalServiceError`. `BotError`s pass through.
 */
export function toBotError(error: unknown): BotError {
  if (error instanceof BotError) return error;
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
