import { UnrecoverableError } from 'bullmq';
import type { RunEvent } from '../domain/pipeline/events.js';
import type { Run } from '../domain/pipeline/run.js';
import { BotError } from '../errors.js';

/** Why a job attempt failed, as the `kind` label of `lakeflow_errors_total`. */
export type ErrorKind = BotError['kind'] | 'unrecoverable' | 'other';

/**
 * What the bot counts for operators (Prometheus `/metrics`). Recorded where things happen: the
 * webhook handlers, the events worker as it applies a run event, and BullMQ's `failed` events.
 * Implementations never throw: a metric must not fail a webhook or a job.
 */
export interface Metrics {
  /** A webhook delivery was handled; `outcome` is the handler's (bounded) outcome string. */
  observeWebhook(event: string, outcome: string): void;
  /**
   * A run event is being applied (once per event id: duplicates are not observed). Stage results
   * feed durations, tokens and cost; `ci_completed` feeds the CI counter, its mode read from `run`
   * (the run before the event), `unknown` when the run has no record of that run key.
   */
  observeRunEvent(event: RunEvent, run: Run | null): void;
  /** A job attempt failed (BullMQ's `failed` event: every failed attempt, retried or not). */
  observeJobFailure(error: unknown): void;
}

/** Metrics that record nothing: tests and the local CLI. */
export const noopMetrics: Metrics = Object.freeze({
  observeWebhook() {},
  observeRunEvent() {},
  observeJobFailure() {},
});

/**
 * The kind of a job failure. The processors' errors pass through `toQueueError`, so a
 * non-retryable `BotError` arrives as an `UnrecoverableError` whose `cause` keeps the original.
 */
export function errorKindOf(error: unknown): ErrorKind {
  if (error instanceof BotError) return error.kind;
  if (error instanceof UnrecoverableError) {
    return error.cause instanceof BotError ? error.cause.kind : 'unrecoverable';
  }
  return 'other';
}
