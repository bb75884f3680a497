/**
 * `npm run demo`: the whole two-batch pipeline on a throwaway checkout of the project's fixture
 * connector repository, with recorded model replies (a local replay of the Messages API) and the
 * real pytest. Nothing leaves this machine and nothing is spent. Ends with the branch, its commits
 * and where to look.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFakeAnthropic } from '../test/fakes/fake-anthropic-server.js';
import { brightdeskModel, PATHS } from '../test/fixtures/transcripts/brightdesk/index.js';
import { git, makeFixtureCheckout } from '../test/helpers/local-checkout.js';

const BIN = fileURLToPath(new URL('../bin/lakeflow-connector-bot.js', import.meta.url));
const SOURCE = 'brightdesk';
const BRANCH = `lakeflow-connector/${SOURCE}`;
/** The recorded replies have no self-review turns. */
const CONFIG = { '.github/lakeflow-connector-bot.yml': 'selfReview: false\n' };
/** More than the replay's turns: a run that asks for more gets the replay's "no reply left" error. */
const MAX_TURNS = 400;

const banner = (lines: string[]) => `\n${'═'.repeat(78)}\n${lines.join('\n')}\n${'═'.repeat(78)}\n`;

async function main(): Promise<number> {
  const model = brightdeskModel();
  const replay = await startFakeAnthropic();
  replay.script(...Array.from({ length: MAX_TURNS }, () => model.turn));
  const dir = await makeFixtureCheckout(CONFIG);
  process.stdout.write(
    banner([
      'DEMO: a REPLAY. The model replies are recorded (a Brightdesk connector, two batches);',
      'pytest is real. Nothing is sent anywhere and nothing is spent: the costs printed are what',
      'these replies would cost at list prices.',
      `Checkout: ${dir}`,
    ]),
  );
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'run', '--source', SOURCE, '--repo', dir, '--yes'], {
        env: { ...process.env, ANTHROPIC_API_KEY: 'replay', ANTHROPIC_BASE_URL: replay.url },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0 || model.problems.length > 0) {
      for (const problem of model.problems) process.stderr.write(`replay: ${problem}\n`);
      process.stderr.write(`\nThe demo run ended with exit code ${code}. The checkout is kept: ${dir}\n`);
      return 1;
    }
    const commits = git(dir, 'log', '--reverse', '--format=%h %s', `main..${BRANCH}`);
    process.stdout.write(
      banner([
        `Done. Branch ${BRANCH} in ${dir}, one commit per phase:`,
        ...commits.split('\n').map((line) => `  ${line}`),
        'Where to look:',
        `  git -C ${dir} diff --stat main..${BRANCH}`,
        `  git -C ${dir} show ${BRANCH}:${PATHS.readme}`,
        `  ls ${dir}/.git/lakeflow-connector-bot   (the run's state, its journal and what it would have posted)`,
      ]),
    );
    return 0;
  } finally {
    await replay.close();
  }
}

process.exitCode = await main();
