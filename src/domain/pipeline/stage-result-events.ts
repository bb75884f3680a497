import { z } from 'zod';
import { TableName } from '../intake/schema.js';
import { Stage } from './phase.js';
import { Usage } from './usage.js';

/**
 * Facts a stage's verifier read from the committed files (never the model's claims).
 * Each stage fills the fields it can check; summaries are rendered from these.
 */
export const StageFacts = z.object({
  /** Tables the stage documented, implemented or specified, in order. */
  tables: z.array(TableName).max(200).default([]),
  /** Tables research left for later batches. */
  deferredTables: z.array(TableName).max(200).default([]),
  /** Authentication method, as research or auth documented it. */
  authMethod: z.string().max(200).nullable().default(null),
  /** Ingestion type per table (`snapshot`, `cdc`, `cdc_with_deletes`, `append`). */
  ingestionTypes: z.record(z.string().max(100), z.string().max(50)).default({}),
  /** Connection parameters the spec declares. */
  connectionParams: z.array(z.string().max(100)).max(100).default([]),
  /** Files the stage wrote. */
  files: z.array(z.string().max(500)).max(200).default([]),
});
export type StageFacts = z.infer<typeof StageFacts>;

/** Facts with every field present: callers name only what a stage yields. */
export function buildStageFacts(partial: Partial<StageFacts> = {}): StageFacts {
  return {
    tables: [],
    deferredTables: [],
    authMethod: null,
    ingestionTypes: {},
    connectionParams: [],
    files: [],
    ...partial,
  };
}

/** Fields every stage result carries to match it to the job that produced it. */
const StageJobOutcome = {
  stage: Stage,
  batch: z.number().int().positive(),
  attempt: z.number().int().positive(),
  usage: Usage,
  durationMs: z.number().nonnegative(),
};

/** A stage committed and its verifier passed. `commitSha` is the new branch head. */
export const StageSucceeded = z.object({
  type: z.literal('stage_succeeded'),
  id: z.string(),
  ...StageJobOutcome,
  commitSha: z.string(),
  facts: StageFacts,
});
export type StageSucceeded = z.infer<typeof StageSucceeded>;

/** A stage ended without a verified commit; `reason` is for a maintainer. */
export const StageFailed = z.object({
  type: z.literal('stage_failed'),
  id: z.string(),
  ...StageJobOutcome,
  reason: z.string().max(4_000),
  /**
   * The job stopped itself because the run did not want it when it looked (cancelled, moved on,
   * or rebuilt behind it): a report of spend, never a failure of an attempt the run is running.
   */
  stopped: z.literal(true).optional(),
});
export type StageFailed = z.infer<typeof StageFailed>;

/** A stage stopped because a budget ran out. */
export const BudgetExceeded = z.object({
  type: z.literal('budget_exceeded'),
  id: z.string(),
  ...StageJobOutcome,
  budget: z.enum(['stage', 'run']),
  limitUsd: z.number().nonnegative(),
  /** Set when a token budget ran out: its limit. */
  limitTokens: z.number().nonnegative().optional(),
});
export type BudgetExceeded = z.infer<typeof BudgetExceeded>;

/** What a stage job reports when it ends: its result, matched to the job by stage, batch and attempt. */
export const StageResultEvent = z.discriminatedUnion('type', [StageSucceeded, StageFailed, BudgetExceeded]);
export type StageResultEvent = z.infer<typeof StageResultEvent>;
