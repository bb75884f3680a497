import { describe, expect, it } from 'vitest';
import { createActivityTicker, type TickerTime } from './activity-ticker.js';

/** A clock the test moves and a timer it fires by hand. */
function manualTime() {
  let now = 0;
  let tick: (() => void) | null = null;
  const time: TickerTime = {
    now: () => now,
    every: (callback) => {
      tick = callback;
      return () => {
        tick = null;
      };
    },
  };
  return {
    time,
    advance(ms: number) {
      now += ms;
      tick?.();
    },
    running: () => tick !== null,
  };
}

const RESEARCH = { key: 'b1-research-a1', text: 'research: running (attempt 1)' };

describe('createActivityTicker', () => {
  it('on a terminal, redraws one line with the step and the time since it started', () => {
    const out: string[] = [];
    const clock = manualTime();
    const ticker = createActivityTicker({ write: (text) => out.push(text), enabled: true, time: clock.time });

    ticker.show(RESEARCH);
    clock.advance(65_000);

    expect(out).toEqual([
      '\r\x1b[2K⠋ research: running (attempt 1) · 0m 00s',
      '\r\x1b[2K⠙ research: running (attempt 1) · 1m 05s',
    ]);
  });

  it('keeps the clock of a step whose text changes, and restarts it for a new step', () => {
    const out: string[] = [];
    const clock = manualTime();
    const ticker = createActivityTicker({ write: (text) => out.push(text), enabled: true, time: clock.time });

    ticker.show(RESEARCH);
    clock.advance(30_000);
    ticker.show({ ...RESEARCH, text: 'research: running (attempt 1) · $0.20 so far' });
    ticker.show({ key: 'b1-auth-a1', text: 'auth: running (attempt 1)' });

    expect(out.slice(-2)).toEqual([
      '\r\x1b[2K⠹ research: running (attempt 1) · $0.20 so far · 0m 30s',
      '\r\x1b[2K⠸ auth: running (attempt 1) · 0m 00s',
    ]);
  });

  it('clears its line before other output, and stops drawing when nothing runs', () => {
    const out: string[] = [];
    const clock = manualTime();
    const ticker = createActivityTicker({ write: (text) => out.push(text), enabled: true, time: clock.time });

    ticker.show(RESEARCH);
    ticker.print('✓ research: committed\n');
    ticker.show(null);

    expect(out.slice(1)).toEqual(['\r\x1b[2K', '✓ research: committed\n']);
    expect(clock.running()).toBe(false);
  });

  it('off a terminal, draws nothing and passes output through as plain lines', () => {
    const out: string[] = [];
    const clock = manualTime();
    const ticker = createActivityTicker({
      write: (text) => out.push(text),
      enabled: false,
      time: clock.time,
    });

    ticker.show(RESEARCH);
    clock.advance(10_000);
    ticker.print('line\n');
    ticker.stop();

    expect(out).toEqual(['line\n']);
    expect(clock.running()).toBe(false);
  });
});
