import { startApp } from './app.js';
import { loadDotEnv } from './config/load-dotenv.js';
import { BotError } from './errors.js';
import { createLogger } from './logging.js';
import { hasNoApp, startSetupPage } from './setup-page.js';
import { exitOnSignals } from './shutdown.js';

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

try {
  // Before anything reads the environment: `.env` (what Probot's setup flow writes) fills what is unset.
  loadDotEnv();
  if (hasNoApp(process.env)) {
    const log = createLogger({
      level: LEVELS.has(process.env.LOG_LEVEL ?? '') ? process.env.LOG_LEVEL : 'info',
      format: process.env.LOG_FORMAT === 'pretty' ? 'pretty' : 'json',
    });
    const setup = await startSetupPage(process.env, log);
    exitOnSignals(() => setup.close(), log);
  } else {
    const app = await startApp();
    exitOnSignals(() => app.close(), app.log);
  }
} catch (error) {
  console.error(error instanceof BotError ? error.message : error);
  process.exit(1);
}
