import { startApp } from './app.js';
import { loadDotEnv } from './config/load-dotenv.js';
import { BotError } from './errors.js';
import { exitOnSignals } from './shutdown.js';

try {
  // Before anything reads the environment: `.env` (what Probot's setup flow writes) fills what is unset.
  loadDotEnv();
  const app = await startApp();
  exitOnSignals(() => app.close(), app.log);
} catch (error) {
  console.error(error instanceof BotError ? error.message : error);
  process.exit(1);
}
