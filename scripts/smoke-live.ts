/**
 * `npm run smoke:live -- --repo owner/name`: the one check of the real GitHub and the real model
 * (docs/smoke-live.md). Reads the command line and the environment, runs `runSmoke`, exits with its
 * status: 0 passed, 1 a step failed, 2 refused to start, 130 interrupted.
 */
import { loadDotEnv } from '../src/config/load-dotenv.js';
import { readCredentials } from './smoke-live/credentials.js';
import { parseSmokeArgs } from './smoke-live/options.js';
import { EXIT, runSmoke } from './smoke-live/run-smoke.js';
import { renderUsage } from './smoke-live/usage.js';

const parsed = parseSmokeArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(renderUsage());
  process.exit(EXIT.passed);
}
if (parsed.kind === 'refuse') {
  console.error(`smoke:live: ${parsed.message}`);
  process.exit(EXIT.refused);
}
// The bot's own `.env` (APP_ID, PRIVATE_KEY) fills what is unset, as for `npm start`.
loadDotEnv();
const credentials = readCredentials(process.env);
if ('refusal' in credentials) {
  console.error(`smoke:live: refusing to run: ${credentials.refusal}`);
  process.exit(EXIT.refused);
}
const interrupt = new AbortController();
process.on('SIGINT', () => {
  // The first Ctrl-C stops the step and cancels the run; a second one quits at once.
  if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
  interrupt.abort();
});
const code = await runSmoke({
  options: parsed.options,
  credentials,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  signal: interrupt.signal,
});
process.exit(code);
