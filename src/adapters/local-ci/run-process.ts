import { spawn } from 'node:child_process';

/** How one child process ended. */
export interface ProcessOutcome {
  /** Exit code, or `null` when the process was killed or never started. */
  code: number | null;
  /** Why it ended abnormally: killed at the deadline, aborted by the caller, or not started. */
  stopped: 'timeout' | 'aborted' | 'spawn_error' | null;
  /** The last `tailBytes` bytes of stdout and stderr, interleaved as they arrived. */
  tail: Buffer;
}

/** Bytes of output kept, whatever the process writes. */
export const DEFAULT_TAIL_BYTES = 8_000;
const KILL_GRACE_MS = 1_000;

/**
 * Runs `command args` (an argument array, never a shell) in its own process group, so that a
 * timeout or an abort kills everything it started (pytest's subprocesses too): SIGTERM to the
 * group, then SIGKILL after a short grace. Only the tail of the output is kept in memory.
 */
export function runProcess(params: {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  tailBytes?: number;
}): Promise<ProcessOutcome> {
  const limit = params.tailBytes ?? DEFAULT_TAIL_BYTES;
  let tail = Buffer.alloc(0);
  const keep = (chunk: Buffer) => {
    tail = Buffer.concat([tail, chunk]);
    if (tail.length > limit) tail = tail.subarray(tail.length - limit);
  };
  return new Promise((resolve) => {
    if (params.signal?.aborted) {
      resolve({ code: null, stopped: 'aborted', tail });
      return;
    }
    const child = spawn(params.command, params.args, {
      cwd: params.cwd,
      env: params.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stopped: ProcessOutcome['stopped'] = null;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const stop = (why: 'timeout' | 'aborted') => {
      if (stopped !== null) return;
      stopped = why;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const deadline = setTimeout(() => stop('timeout'), params.timeoutMs);
    const onAbort = () => stop('aborted');
    params.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const finish = (outcome: ProcessOutcome) => {
      clearTimeout(deadline);
      params.signal?.removeEventListener('abort', onAbort);
      // Whatever the leader did, leave nothing of its group behind.
      if (stopped !== null) {
        killGroup('SIGKILL');
        clearTimeout(killTimer);
      }
      resolve(outcome);
    };
    child.once('error', (error) => {
      keep(Buffer.from(`\ncould not start ${params.command}: ${error.message}\n`));
      finish({ code: null, stopped: stopped ?? 'spawn_error', tail });
    });
    child.once('close', (code) => finish({ code: stopped === null ? code : null, stopped, tail }));
  });
}
