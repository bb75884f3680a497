import type { Logger } from './logging.js';

/**
 * Graceful shutdown: on SIGTERM or SIGINT, stop taking jobs, let running ones finish (`close`),
 * then exit 0. A second signal exits at once with 1.
 */
export function exitOnSignals(close: () => Promise<void>, log: Logger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      log.warn({ signal }, 'Second signal during shutdown; exiting now');
      process.exit(1);
    }
    closing = true;
    log.info({ signal }, 'Shutting down: finishing running jobs');
    close().then(
      () => {
        log.info('Shutdown complete');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
