import { z } from 'zod';
import { withPrivateKey } from '../../src/config/private-key.js';

/** What the smoke test authenticates with. */
export interface SmokeCredentials {
  /** The person who opens the request and writes the commands. */
  personToken: string;
  appId: number;
  privateKey: string;
  /** The API base, without a trailing slash. */
  apiUrl: string;
}

const Env = z.object({
  SMOKE_GITHUB_TOKEN: z
    .string({
      error:
        'SMOKE_GITHUB_TOKEN is not set: a token of a person with write access on the repository, who opens the request and writes /approve and /cancel',
    })
    .trim()
    .min(1, 'SMOKE_GITHUB_TOKEN is empty'),
  APP_ID: z.coerce
    .number({
      error: "APP_ID is not set: the bot's GitHub App id (to check it is installed on the repository)",
    })
    .int('APP_ID must be a number')
    .positive('APP_ID must be a number'),
  PRIVATE_KEY: z
    .string({ error: "PRIVATE_KEY (or PRIVATE_KEY_PATH) is not set: the bot's App private key" })
    .transform((key) => key.replace(/\\n/g, '\n'))
    .pipe(z.string().regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'PRIVATE_KEY is not a PEM private key')),
  GITHUB_API_URL: z
    .url({ protocol: /^https?$/, error: 'GITHUB_API_URL must be an http(s) URL' })
    .default('https://api.github.com')
    .transform((url) => url.replace(/\/+$/, '')),
});

/**
 * The credentials from the environment, or the one line saying what is missing. The App's key is
 * read as the bot reads it (PEM, `\n` escapes, base64, or `PRIVATE_KEY_PATH`).
 */
export function readCredentials(env: NodeJS.ProcessEnv): SmokeCredentials | { refusal: string } {
  let withKey: NodeJS.ProcessEnv;
  try {
    withKey = withPrivateKey(env);
  } catch (error) {
    return { refusal: error instanceof Error ? error.message : String(error) };
  }
  const parsed = Env.safeParse(withKey);
  if (!parsed.success) return { refusal: parsed.error.issues[0]?.message ?? 'invalid environment' };
  return {
    personToken: parsed.data.SMOKE_GITHUB_TOKEN,
    appId: parsed.data.APP_ID,
    privateKey: parsed.data.PRIVATE_KEY,
    apiUrl: parsed.data.GITHUB_API_URL,
  };
}
