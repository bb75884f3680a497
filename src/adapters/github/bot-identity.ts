import type { Probot } from 'probot';
import { z } from 'zod';
import { ExternalServiceError } from '../../errors.js';

const AuthenticatedApp = z.object({ slug: z.string().min(1) });

/**
 * The login the App's comments carry (`<slug>[bot]`), read once at boot with the App's JWT. The
 * GitHub adapter only ever edits comments by this login.
 */
export async function resolveBotLogin(probot: Probot, apiUrl = 'https://api.github.com'): Promise<string> {
  try {
    const octokit = await probot.auth();
    // One try at boot: a GitHub that cannot be reached is reported now, with its cause, not after retries.
    const response = await octokit.request('GET /app', { request: { retries: 0 } });
    return `${AuthenticatedApp.parse(response.data).slug}[bot]`;
  } catch (error) {
    throw new ExternalServiceError(bootFailure(error, apiUrl), { cause: error });
  }
}

/** One line: what failed, the cause GitHub or the network gave, and which settings to check. */
function bootFailure(error: unknown, apiUrl: string): string {
  const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
  const cause = rootCause(error);
  if (status === 401 || status === 403 || status === 404) {
    return `GitHub refused the App at boot (GET ${apiUrl}/app answered ${String(status)}: ${cause}): check APP_ID and PRIVATE_KEY`;
  }
  return `GitHub could not be reached at boot (GET ${apiUrl}/app: ${cause}): check GITHUB_API_URL and the network`;
}

/** The innermost message of an error chain (Octokit wraps fetch's, which wraps the socket's, e.g. ENOTFOUND). */
function rootCause(error: unknown): string {
  let current: unknown = error;
  let message = 'unknown error';
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = 'code' in current && typeof current.code === 'string' ? `${current.code} ` : '';
    message = `${code}${current.message}`.replace(/\s+/g, ' ').slice(0, 300);
    current = current.cause;
  }
  return message;
}
