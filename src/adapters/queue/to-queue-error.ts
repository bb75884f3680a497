import { UnrecoverableError } from 'bullmq';
import { BotError } from '../../errors.js';

/**
 * The one place that maps the error hierarchy to BullMQ (docs/architecture.md, Errors). A non-retryable
 * `BotError` (user input, config, invariant) becomes an `UnrecoverableError` with the same
 * message and the original as `cause`, so the job fails on this attempt. Anything else is
 * returned as-is (a non-`Error` is wrapped, keeping it as `cause`), so the queue's `attempts`
 * and `backoff` apply.
 */
export function toQueueError(error: unknown): Error {
  if (error instanceof BotError && !error.retryable) {
    const unrecoverable = new UnrecoverableError(error.message);
    unrecoverable.cause = error;
    return unrecoverable;
  }
  if (error instanceof Error) return error;
  return new Error(`Non-error thrown: ${String(error)}`, { cause: error });
}

/** Wraps a BullMQ processor so every error it throws goes through `toQueueError`. */
export function wrapProcessor<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async function processWithQueueErrors(...args: A): Promise<R> {
    try {
      return await fn(...args);
    } catch (error) {
      throw toQueueError(error);
    }
  };
}
