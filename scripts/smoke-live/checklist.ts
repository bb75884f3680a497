import { formatDuration } from '../../src/domain/render/format.js';

/** The steps a smoke run checks, in order: each prints one line when it passes or fails. */
export const SMOKE_STEPS = [
  'App installed',
  'person may approve',
  'request opened',
  'plan posted',
  '/approve sent',
  'research started',
  'research summary posted',
  '/cancel sent',
  'run cancelled',
] as const;
export type SmokeStep = (typeof SMOKE_STEPS)[number];

/** Prints the checklist, each line stamped with the time since the smoke run started. */
export interface Checklist {
  pass(step: SmokeStep, detail: string): void;
  fail(step: SmokeStep, detail: string): void;
  /** A line that is not a step (clean-up after a failure). */
  note(text: string): void;
  /** Steps passed so far. */
  readonly passed: number;
  /** Time since the start, in milliseconds. */
  elapsedMs(): number;
}

/** A checklist writing to `write` with times from `now` (milliseconds). */
export function createChecklist(write: (line: string) => void, now: () => number = Date.now): Checklist {
  const started = now();
  let passed = 0;
  const stamp = () => `[${formatDuration(now() - started).padStart(7)}]`;
  return {
    pass(step, detail) {
      passed += 1;
      write(`${stamp()} ✓ ${step}: ${detail}`);
    },
    fail(step, detail) {
      write(`${stamp()} ✗ ${step}: ${detail}`);
    },
    note(text) {
      write(`${stamp()} · ${text}`);
    },
    get passed() {
      return passed;
    },
    elapsedMs: () => now() - started,
  };
}
