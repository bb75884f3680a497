import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { type CiMode, type GateOutcome, MAX_LOG_EXCERPT_BYTES } from '../../domain/ci/results-artifact.js';
import type { TargetLayout } from '../../domain/target-repo/layout.js';
import { type ProcessOutcome, runProcess } from './run-process.js';

/** What every gate gets: the checkout, where results and scratch files go, and the run's deadline. */
export interface GateContext {
  /** Root of the checked-out target repository (the working directory of every command). */
  dir: string;
  source: string;
  /** Where the checkout keeps connectors (the run's `RunSettings.layout`). */
  layout: TargetLayout;
  mode: CiMode;
  python: string;
  env: NodeJS.ProcessEnv;
  resultsDir: string;
  /** A temporary directory outside the checkout and the results, removed after the run. */
  scratchDir: string;
  /** `Date.now()` value after which every running command is killed. */
  deadline: number;
  signal?: AbortSignal;
}

/** How a gate ended and the text that goes to `logs/<gate>.txt`. */
export interface GateResult {
  outcome: GateOutcome;
  log: Buffer;
  /** Set when the run's deadline or the caller's abort stopped the gate. */
  stopped: 'timeout' | 'aborted' | null;
}

/** Runs `python args` in the checkout until the run's deadline; `log` starts with the command line. */
export async function runPython(
  ctx: GateContext,
  args: string[],
): Promise<ProcessOutcome & { log: Buffer; stopped: ProcessOutcome['stopped'] }> {
  const outcome = await runProcess({
    command: ctx.python,
    args,
    cwd: ctx.dir,
    env: ctx.env,
    timeoutMs: Math.max(1, ctx.deadline - Date.now()),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const notes: Record<NonNullable<ProcessOutcome['stopped']>, string> = {
    timeout: '\n[killed: the run reached its timeout]\n',
    aborted: '\n[killed: the run was cancelled]\n',
    spawn_error: '',
  };
  const log = Buffer.concat([
    Buffer.from(`$ ${[ctx.python, ...args].join(' ')}\n`),
    outcome.tail,
    Buffer.from(outcome.stopped === null ? `\n[exit code ${outcome.code}]\n` : notes[outcome.stopped]),
  ]);
  return { ...outcome, log };
}

/**
 * Whether `python -c "import <module>"` succeeds (bounded by 30 s and the run's deadline); `stopped`
 * when the deadline or an abort cut the probe short, so a missing tool is never confused with a timeout.
 */
export async function canImport(ctx: GateContext, module: string): Promise<boolean | 'stopped'> {
  const outcome = await runProcess({
    command: ctx.python,
    args: ['-c', `import ${module}`],
    cwd: ctx.dir,
    env: ctx.env,
    timeoutMs: Math.max(1, Math.min(30_000, ctx.deadline - Date.now())),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (outcome.stopped === 'aborted' || (outcome.stopped === 'timeout' && Date.now() >= ctx.deadline)) {
    return 'stopped';
  }
  return outcome.code === 0;
}

/** The result of a gate whose tool probe the deadline or an abort cut short. */
export function probeStopped(ctx: GateContext): GateResult {
  const stopped = ctx.signal?.aborted ? 'aborted' : 'timeout';
  return { outcome: 'failed', log: Buffer.from(`[stopped: the run hit its ${stopped}]\n`), stopped };
}

/** A gate result from a finished command: passed on exit code 0. */
export function fromExit(run: { code: number | null; stopped: ProcessOutcome['stopped']; log: Buffer }) {
  const stopped = run.stopped === 'timeout' || run.stopped === 'aborted' ? run.stopped : null;
  return { outcome: run.code === 0 ? 'passed' : 'failed', log: run.log, stopped } satisfies GateResult;
}

/** A gate that did not run a command: `message` is the whole log. */
export function noted(outcome: GateOutcome, message: string): GateResult {
  return { outcome, log: Buffer.from(`${message}\n`), stopped: null };
}

/** True when `path` (relative to the checkout) exists. */
export async function existsIn(ctx: GateContext, path: string): Promise<boolean> {
  return access(join(ctx.dir, path)).then(
    () => true,
    () => false,
  );
}

/** The last {@link MAX_LOG_EXCERPT_BYTES} bytes of `log`, not starting inside a UTF-8 sequence. */
export function logExcerpt(log: Buffer): Buffer {
  if (log.length <= MAX_LOG_EXCERPT_BYTES) return log;
  let start = log.length - MAX_LOG_EXCERPT_BYTES;
  while (start < log.length && ((log[start] ?? 0) & 0xc0) === 0x80) start += 1;
  return log.subarray(start);
}
