import type { Probot } from 'probot';
import { z } from 'zod';
import { ExternalServiceError } from '../../errors.js';

const AuthenticatedApp = z.object({ slug: z.string().min(1) });

/**
 * The login the App's comments carry (`<slug>[bot]`), read once at boot with the App's JWT. The
 * GitHub adapter only ever edits comments by this login.
 */
export async function resolveBotLogin(probot: Probot): Promise<string> {
  try {
    const octokit = await probot.auth();
    const response = await octokit.request('GET /app');
    return `${AuthenticatedApp.parse(response.data).slug}[bot]`;
  } catch (error) {
    throw new ExternalServiceError(
      'Could not read the GitHub App (GET /app): check APP_ID, PRIVATE_KEY and GITHUB_API_URL',
      {
        cause: error,
      },
    );
  }
}
