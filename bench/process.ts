import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { waitHealthy } from '../test/chaos/app-process.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** A TypeScript entry point run in a child process (through tsx), reachable on `port`. */
export interface BenchProcess {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Runs `entry` (relative to the project) with `env`, and waits until `/healthz` on `port` answers. */
export async function startBenchProcess(
  entry: string,
  env: Record<string, string | undefined>,
  port: number,
): Promise<BenchProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitHealthy(`http://127.0.0.1:${port}`, { process: child, within: 60_000, what: entry });
  return {
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The peak resident set of a live process, in MB (Linux `VmHWM`); `null` where it cannot be read. */
export async function peakRssMb(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? null : Math.round(Number(kb) / 1024);
}
