import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/target-repo/', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/lakeflow-connector-bot.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `git` in `dir`, with a fixed identity so commits work on a machine without git config. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test User',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test User',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  }).trim();
}

/**
 * A temporary git checkout of the target-repo fixture on branch `main`, one commit, plus `extra`
 * files (path → text) in that commit. Caches of earlier pytest runs are left out.
 */
export async function makeFixtureCheckout(extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lakeflow-checkout-'));
  await cp(FIXTURE, dir, {
    recursive: true,
    filter: (source) => !/(__pycache__|\.pytest_cache|\.pyc$)/.test(source),
  });
  for (const [path, text] of Object.entries(extra)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--message', 'The target repository');
  return dir;
}

/** A running CLI process: its output so far, a way to wait for text in it, and its exit. */
export interface CliProcess {
  output(): string;
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Spawns the real CLI (`bin/lakeflow-connector-bot.js`) with `args`, `env` over the process's, and `input` piped in. */
export function spawnCli(
  args: string[],
  options: { env: Record<string, string>; input?: string },
): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const check of [...waiters]) check();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  if (options.input !== undefined) child.stdin.end(options.input);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    kill: (signal) => child.kill(signal),
    waitForOutput(text, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const matches = () => (typeof text === 'string' ? output.includes(text) : text.test(output));
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Timed out waiting for ${String(text)} in:\n${output}`));
        }, timeoutMs);
        const check = () => {
          if (!matches()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
