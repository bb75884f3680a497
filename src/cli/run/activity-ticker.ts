import { formatDuration } from '../../domain/render/format.js';
import type { Activity } from './render-progress.js';

/** A line that says what a run is busy with, redrawn in place; output passes through it. */
export interface ActivityTicker {
  /** What is running now (`null`: nothing, the line is cleared); a new `key` restarts its clock. */
  show(activity: Activity | null): void;
  /** Writes `text` (the ticker line is cleared first and redrawn under it on the next tick). */
  print(text: string): void;
  /** Clears the line and stops the timer. */
  stop(): void;
}

/** How the ticker keeps time: a clock in milliseconds and a repeating timer (the real ones by default). */
export interface TickerTime {
  readonly now: () => number;
  /** Calls `tick` every `ms` until the returned function is called. */
  readonly every: (tick: () => void, ms: number) => () => void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';
const TICK_MS = 125;

const REAL_TIME: TickerTime = {
  now: () => Date.now(),
  every: (tick, ms) => {
    const timer = setInterval(tick, ms);
    // The ticker never keeps the process alive on its own.
    timer.unref();
    return () => clearInterval(timer);
  },
};

/**
 * A spinner with the elapsed time of the running step (`⠋ research: running (attempt 1) · 0m 42s`),
 * for a terminal only: when `enabled` is false (output piped or captured) it draws nothing and
 * `print` writes straight through, so the output stays plain lines.
 */
export function createActivityTicker(params: {
  write: (text: string) => void;
  enabled: boolean;
  time?: TickerTime;
}): ActivityTicker {
  const { write } = params;
  if (!params.enabled) return { show: () => undefined, print: write, stop: () => undefined };
  const time = params.time ?? REAL_TIME;
  let current: { activity: Activity; since: number } | null = null;
  let frame = 0;
  let drawn = false;
  let cancel: (() => void) | null = null;

  const clear = () => {
    if (drawn) write(CLEAR_LINE);
    drawn = false;
  };
  const draw = () => {
    if (current === null) return;
    const elapsed = formatDuration(time.now() - current.since);
    write(`${CLEAR_LINE}${FRAMES[frame % FRAMES.length]} ${current.activity.text} · ${elapsed}`);
    frame += 1;
    drawn = true;
  };
  const halt = () => {
    cancel?.();
    cancel = null;
  };

  return {
    show(activity) {
      if (activity === null) {
        current = null;
        halt();
        clear();
        return;
      }
      const since = current?.activity.key === activity.key ? current.since : time.now();
      current = { activity, since };
      if (cancel === null) cancel = time.every(draw, TICK_MS);
      draw();
    },
    print(text) {
      clear();
      write(text);
    },
    stop() {
      current = null;
      halt();
      clear();
    },
  };
}
