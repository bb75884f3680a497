import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { testPrivateKey } from '../helpers/app-env.js';
import { freePort } from '../helpers/free-port.js';
import { redisUrl } from '../helpers/redis.js';
import type { ChaosWorld } from './world.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The bot as production starts it (`src/main.ts`: env parsed at boot, Probot's Octokit with its
 * retry and throttling, BullMQ workers on the real Redis), in a child process the suite can
 * `kill -9` and start again on the same port, so GitHub's webhook URL stays the same.
 */
export interface AppProcess {
  readonly url: string;
  /** Starts the process and waits until `/healthz` answers 200. */
  start(): Promise<void>;
  /** `kill -9`, then waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM and waits (the process finishes what it can, as on a deploy). */
  stop(): Promise<void>;
  readonly kills: number;
  readonly running: boolean;
  /** The current life's process id (`undefined` before the first start). */
  readonly pid: number | undefined;
}

/** The environment of the app process: the world's fakes, its Redis prefix, a fixed port. */
function appEnv(world: ChaosWorld, port: number): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    APP_ID: String(world.github.appId),
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: world.github.webhookSecret,
    ANTHROPIC_API_KEY: 'chaos-key',
    ANTHROPIC_BASE_URL: world.anthropic.url,
    GITHUB_API_URL: world.github.url,
    REDIS_URL: redisUrl(),
    KEY_PREFIX: world.prefix,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'info',
    // Lost workflow_run deliveries are found by polling; poll as often as the bot allows.
    CI_POLL_INTERVAL_SECONDS: '10',
    PYTHON: process.env.PYTHON ?? 'python3',
  };
}

/**
 * Waits until `<url>/healthz` answers 200, polling every 100 ms; throws when `process` exits first
 * or after `within` ms, naming `what` (and where its output went, `see`).
 */
export async function waitHealthy(
  url: string,
  params: { process: ChildProcess; within: number; what: string; see?: string },
): Promise<void> {
  const deadline = Date.now() + params.within;
  const see = params.see === undefined ? '' : `; see ${params.see}`;
  for (;;) {
    if (params.process.exitCode !== null)
      throw new Error(`${params.what} exited during boot (code ${params.process.exitCode})${see}`);
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) })
      .then((response) => response.status === 200)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${params.what} did not become healthy${see}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts nothing yet: `start()` does. `logPath` collects every life's output, appended. `env` is
 * laid over the defaults (a `ROLE`, a concurrency). Unless `receivesWebhooks` is false, the fake
 * GitHub delivers its webhooks to this process.
 */
export async function createAppProcess(
  world: ChaosWorld,
  logPath: string,
  options: { env?: Record<string, string>; receivesWebhooks?: boolean } = {},
): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  if (options.receivesWebhooks !== false) world.github.webhookUrl = `${url}/api/github/webhooks`;
  // Each life writes straight into the log file (its own descriptor, as a log driver or a file would
  // take it), not through a pipe this process relays: a busy test process must not slow the app.
  const note = (line: string) => appendFileSync(logPath, `\n=== ${line} ${new Date().toISOString()}\n`);
  let child: ChildProcess | null = null;
  let kills = 0;

  const exited = (process: ChildProcess) =>
    process.exitCode !== null || process.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => process.once('exit', () => resolve()));

  return {
    url,
    get kills() {
      return kills;
    },
    get pid() {
      return child?.pid;
    },
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null;
    },
    async start() {
      if (child !== null && child.exitCode === null && child.signalCode === null) return;
      note('start');
      const out = openSync(logPath, 'a');
      try {
        child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
          cwd: ROOT,
          env: { ...appEnv(world, port), ...options.env },
          stdio: ['ignore', out, out],
        });
      } finally {
        closeSync(out);
      }
      await waitHealthy(url, { process: child, within: 60_000, what: 'the app', see: logPath });
    },
    async kill() {
      if (child === null) return;
      const current = child;
      kills += 1;
      note('kill -9');
      current.kill('SIGKILL');
      await exited(current);
    },
    async stop() {
      if (child === null) return;
      const current = child;
      current.kill('SIGTERM');
      await exited(current);
    },
  };
}
