/**
 * The bot's error hierarchy (docs/architecture.md, Errors). `retryable` decides, in exactly one place
 * (`adapters/queue/to-queue-error.ts`), whether BullMQ retries a job or fails it for good.
 * Never branch on `err.message`.
 */
export abstract class BotError extends Error {
  abstract readonly kind: 'user-input' | 'config' | 'external' | 'conflict' | 'invariant';
  abstract readonly retryable: boolean;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Something a person typed cannot be used; tell them, do not retry. */
export class UserInputError extends BotError {
  readonly kind = 'user-input';
  readonly retryable = false;
}

/** A configuration file or variable is invalid; tell the user, do not retry. */
export class ConfigError extends BotError {
  readonly kind = 'config';
  readonly retryable = false;
}

/** A bug or corrupt data: retrying cannot help. */
export class InvariantError extends BotError {
  readonly kind = 'invariant';
  readonly retryable = false;
}

/** GitHub, Anthropic, Redis or Actions failed in a way that may pass: retry with backoff. */
export class ExternalServiceError extends BotError {
  readonly kind = 'external';
  readonly retryable = true;
}

/** Someone else changed the run (or holds its lock) first: reload and retry. */
export class StateConflictError extends BotError {
  readonly kind = 'conflict';
  readonly retryable = true;
}

/**
 * Another job held the run's lock for the whole wait: not a failure of this job, so the events
 * worker puts it back to wait a little without spending one of its attempts.
 */
export class RunLockedError extends StateConflictError {}

/** True for errors a retry can fix: retryable `BotError`s and anything unknown (network, driver). */
export function isRetryable(error: unknown): boolean {
  return error instanceof BotError ? error.retryable : true;
}
