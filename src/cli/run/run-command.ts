import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createFileRunStore } from '../../adapters/local/file-run-store.js';
import type { GitCheckout } from '../../adapters/local/git-objects.js';
import { currentBase, openCheckout } from '../../adapters/local/git-objects.js';
import type { Run, RunRef } from '../../domain/pipeline/run.js';
import { type CliCommand, type CliIo, EXIT, UsageError } from '../cli-io.js';
import { checkCheckout } from '../doctor/check-checkout.js';
import { createActivityTicker } from './activity-ticker.js';
import { buildLocalSession, localRepoRef } from './build-local-session.js';
import { confirmLayout, layoutProblems } from './confirm-layout.js';
import { driveRun } from './drive-run.js';
import { createLineReader, type LineReader } from './line-reader.js';
import { renderNotice } from './render-notice.js';
import { describeActivity, renderProgress } from './render-progress.js';
import { parseRunOptions, type RunEnv, type RunOptions, readRunEnv, requestBody } from './run-options.js';

const USAGE = `usage: lakeflow-connector-bot run --source <name> [--tables a,b] [--docs <url>]... [--notes <text>]
                                  [--repo <dir>] [--yes]
       lakeflow-connector-bot run --resume [--source <name>] [--repo <dir>] [--yes]

Builds a connector on a local git checkout of the connectors repository, with the same phases and
agents as the GitHub App: each phase commits to the local branch <branchPrefix><source> (your
working tree, index and checked-out branch are not touched), pytest runs locally, and every gate
is asked here: a (approve), r <feedback> (revise), c (cancel); s (skip-auth) at the credentials
check. Answers are read line by line, so they can be piped. Each summary is printed as it comes;
progress shows each phase's time, tokens and cost (on a terminal, a spinner with the elapsed time
while it runs). State lives in .git/lakeflow-connector-bot/; no Redis is needed.

Everything typed is checked before anything starts. A new run then checks the checkout as doctor
does: without the connectors layout it warns and asks before anything is spent; --yes goes on,
and without a terminal to ask (piped input) it refuses.

  --source, -s   the connector's name (^[a-z][a-z0-9_]{1,39}$)
  --tables, -t   tables to build, comma-separated (default: research chooses)
  --docs         an API documentation link; repeat or comma-separate for more
  --notes        anything else the builders should know
  --repo, -C     the checkout (default: the current directory)
  --yes, -y      approve every gate without asking (the credentials check is skipped, as s does;
                 a spent budget still stops the run), and start on a checkout without the layout
  --resume       go on with the stopped run (Ctrl-C, end of input, a failure)
  -h, --help     show this help
  -V, --version  print the version

Environment: ANTHROPIC_API_KEY (required), ANTHROPIC_BASE_URL, MODEL_PRICES, AGENTS_DIR,
PYTHON (the interpreter with pytest, default python3), LOG_LEVEL (default silent),
CONNECTOR_TEST_CONFIG_JSON (only for the live auth check).

Exit status: 0 done, 1 failed, cancelled, refused or stopped at a gate, 2 bad command line,
130 interrupted.
`;

/** The `run` subcommand. */
export const runCommand: CliCommand = {
  summary: 'build a connector on a local checkout, with the gates asked in the terminal',
  usage: USAGE,
  run: (args, io) =>
    runLocal(args, io, {
      env: process.env,
      stdin: process.stdin,
      stdinIsTty: process.stdin.isTTY === true,
      stdoutIsTty: process.stdout.isTTY === true,
    }),
};

/** What `run` reads besides its arguments: the environment, the answers, and which streams are a terminal. */
export interface RunInput {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  /** A person types the answers (not a pipe or a file). */
  stdinIsTty?: boolean;
  /** Output goes to a terminal: the running step gets a spinner with its elapsed time. */
  stdoutIsTty?: boolean;
}

/** `run` with its environment and input given (the command passes the process's). */
export async function runLocal(args: readonly string[], io: CliIo, input: RunInput): Promise<number> {
  // Everything typed is checked before anything is read or written: flags, the request, the environment.
  const options = parseRunOptions(args, io.cwd);
  const request = requestBody(options);
  const env = readRunEnv(input.env);
  const checkout = await openCheckout(options.repo);
  const base = await currentBase(checkout);
  const found = await chooseRun(checkout, options, request, io);
  if (typeof found === 'number') return found;
  const reader: LineReader = createLineReader(input.stdin);
  try {
    // Before anything is spent on a new run: is this a connectors checkout? (`doctor`'s repository checks)
    const goOn =
      request === null ||
      (await confirmLayout({
        repo: checkout.dir,
        problems: layoutProblems(checkCheckout(checkout.dir)),
        yes: options.yes,
        interactive: input.stdinIsTty === true,
        reader,
        signal: new AbortController().signal,
        print: io.stderr,
      }));
    if (!goOn) return EXIT.incomplete;
    return await runChosen({ ...found, options, env, checkout, base, reader, io, input });
  } finally {
    reader.close();
  }
}

/** Runs the chosen run to its next stop: the session, the progress lines, Ctrl-C, the gates. */
async function runChosen(p: {
  ref: RunRef;
  /** The new run's request; `null` when resuming. */
  body: string | null;
  options: RunOptions;
  env: RunEnv;
  checkout: GitCheckout;
  base: string;
  reader: LineReader;
  io: CliIo;
  input: RunInput;
}): Promise<number> {
  const { ref, body, options, env, checkout, base, reader, io, input } = p;
  const ticker = createActivityTicker({
    write: io.stdout,
    enabled: input.stdoutIsTty === true && input.env.TERM !== 'dumb',
  });
  const print = ticker.print;
  let last: Run | null = null;
  const session = await buildLocalSession({
    checkout,
    ref,
    base,
    env,
    notify: (notice) => {
      const text = renderNotice(notice);
      if (text !== null) print(`${text}\n`);
    },
    onEvent: async () => {
      const stored = await session.store.load(ref);
      if (stored === null) return;
      for (const line of renderProgress(last, stored.run)) print(`${line}\n`);
      last = stored.run;
      ticker.show(describeActivity(stored.run));
    },
  });
  if (body === null) {
    last = (await session.store.load(ref))?.run ?? null;
    const replayed = await session.jobs.replay();
    print(
      `Resuming ${last?.source ?? 'the run'} (${last?.status.kind ?? 'unknown'}); ${replayed} unfinished job(s) to run first.\n`,
    );
  } else {
    await session.jobs.enqueueEvent(`local-request-${ref.issue}`, {
      kind: 'issue_request',
      ref,
      repoUrl: `file://${checkout.dir}`.slice(0, 300),
      action: 'opened',
      body,
    });
  }
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    print('\nStopping: the current step is interrupted and the run is saved (Ctrl-C again quits at once).\n');
    session.stop.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  try {
    return await driveRun({
      session,
      checkout,
      ref,
      yes: options.yes,
      resumed: body === null,
      python: env.PYTHON,
      reader,
      print,
      actor: localActor(),
      resumeHint: `npx lakeflow-connector-bot run --resume --repo ${checkout.dir}${options.source ? ` --source ${options.source}` : ''}`,
    });
  } finally {
    ticker.stop();
    process.off('SIGINT', onSigint);
  }
}

/**
 * The run to work on: with `--resume`, the stored run not yet done or cancelled (of `--source`, if
 * given); otherwise a new one, numbered after the stored ones, refused while another run of the
 * same source is active. Returns an exit code when there is nothing to do.
 */
async function chooseRun(
  checkout: GitCheckout,
  options: RunOptions,
  request: { body: string; source: string } | null,
  io: CliIo,
): Promise<{ ref: RunRef; body: string | null } | number> {
  const store = createFileRunStore(join(checkout.stateDir, 'runs'));
  const runs = (await store.list()).map((stored) => stored.run);
  const active = runs.filter(
    (run) =>
      run.status.kind !== 'done' &&
      run.status.kind !== 'cancelled' &&
      (options.source === undefined || run.source === options.source),
  );
  if (request === null) {
    const [only, ...more] = active;
    if (only === undefined) {
      io.stderr(
        `error: no stopped run${options.source ? ` of ${options.source}` : ''} to resume in ${checkout.dir}\n`,
      );
      return EXIT.incomplete;
    }
    if (more.length > 0) {
      throw new UsageError(
        `several runs can be resumed (${active.map((run) => run.source).join(', ')}): add --source`,
      );
    }
    return { ref: only.ref, body: null };
  }
  const busy = active.find((run) => run.source === request.source);
  if (busy !== undefined) {
    io.stderr(
      `error: a run of ${busy.source} is already under way (${busy.status.kind}, branch ${busy.branch}): go on with --resume, or cancel it there\n`,
    );
    return EXIT.incomplete;
  }
  const issue = runs.reduce((max, run) => Math.max(max, run.ref.issue), 0) + 1;
  return { ref: { ...localRepoRef(checkout), issue }, body: request.body };
}

function localActor(): string {
  try {
    return (
      userInfo()
        .username.replace(/[^A-Za-z0-9._-]/g, '_')
        .slice(0, 100) || 'local'
    );
  } catch {
    return 'local';
  }
}
