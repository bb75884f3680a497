import { setTimeout as sleep } from 'node:timers/promises';

/** A step that did not pass: `message` says why, on one line. */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
}

/** Ctrl-C: the person stopped the smoke run. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor() {
    super('interrupted');
  }
}

/** Throws `Interrupted` once `signal` has fired. */
export function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) throw new Interrupted();
}

/**
 * Looks every `intervalMs` until `look` returns something other than `null`, and returns it. A
 * `StepFailure` from `look` ends the wait at once; any other error (GitHub unreachable a moment) is
 * kept and the next look tried. Past `timeoutMs` it fails with `timedOut`'s message, plus the last
 * error when there was one.
 */
export async function pollUntil<T>(params: {
  look: () => Promise<T | null>;
  timeoutMs: number;
  intervalMs: number;
  signal: AbortSignal;
  timedOut: () => Promise<string> | string;
}): Promise<T> {
  const deadline = Date.now() + params.timeoutMs;
  let lastError: unknown;
  for (;;) {
    throwIfInterrupted(params.signal);
    try {
      const found = await params.look();
      if (found !== null) return found;
      lastError = undefined;
    } catch (error) {
      if (error instanceof StepFailure || error instanceof Interrupted) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = await params.timedOut();
      const last = lastError === undefined ? '' : ` (last GitHub error: ${messageOf(lastError)})`;
      throw new StepFailure(`${why}${last}`);
    }
    try {
      await sleep(Math.min(params.intervalMs, Math.max(0, deadline - Date.now())), undefined, {
        signal: params.signal,
      });
    } catch {
      throw new Interrupted();
    }
  }
}

/** An error's message on one line. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
