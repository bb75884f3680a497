import { startApp } from './app.js';
import { BotError } from './errors.js';
import { exitOnSignals } from './shutdown.js';

try {
  const app = await startApp();
  exitOnSignals(() => app.close(), app.log);
} catch (error) {
  console.error(error instanceof BotError ? error.message : error);
  process.exit(1);
}
