/**
 * Runs `task` now and then every `intervalMs`, one run at a time (a slow run delays the next, never
 * overlaps it); `stop` waits for a run in flight. `task` must not throw: it logs its own errors.
 */
export function startPeriodic(task: () => Promise<unknown>, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = running.then(task);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
