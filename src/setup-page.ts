import { run } from 'probot';
import type { Logger } from './logging.js';

/** True when no GitHub App is configured at all: no `APP_ID` and no private key in any form. */
export function hasNoApp(env: NodeJS.ProcessEnv): boolean {
  const unset = (name: string) => (env[name] ?? '').trim() === '';
  return unset('APP_ID') && unset('PRIVATE_KEY') && unset('PRIVATE_KEY_PATH');
}

/**
 * Serves Probot's own setup page, as `probot run` does with no App: it registers the App from
 * `app.yml` (a manifest) and writes `.env`, which the next `npm start` reads. Outside production
 * only (Probot refuses there). Returns what stops the server.
 */
export async function startSetupPage(
  env: NodeJS.ProcessEnv,
  log: Logger,
): Promise<{ close(): Promise<void> }> {
  log.warn(
    'No GitHub App configured (APP_ID and PRIVATE_KEY are unset): serving the setup page to register one. ' +
      'Open it in a browser, register the App, then restart `npm start`: it reads the .env the setup writes.',
  );
  const server = await run(() => undefined, { env, log: log.child({ component: 'probot-setup' }) });
  return { close: () => server.stop() };
}
