import { z } from 'zod';
import { SourceName, TableName } from '../intake/schema.js';
import { DEFAULT_LAYOUT, TargetLayout } from '../target-repo/layout.js';
import { Stage } from './phase.js';
import { CiFailure, Feedback, RunRef, runSlug } from './run.js';

/** How a stage treats what earlier batches wrote. */
export const BatchMode = z.enum(['create', 'append', 'extend']);
export type BatchMode = z.infer<typeof BatchMode>;

/** Data of a `phases` queue job: everything the stage worker needs, nothing it must look up in the run. */
export const StageJob = z.object({
  jobId: z.string().regex(/^[^:]+$/),
  ref: RunRef,
  source: SourceName,
  branch: z.string(),
  stage: Stage,
  batch: z.number().int().positive(),
  attempt: z.number().int().positive(),
  mode: BatchMode,
  /** Tables in scope for this batch (empty in the first research: research chooses). */
  tables: z.array(TableName),
  /** Tables implemented in earlier batches, which an `extend` must keep. */
  completedTables: z.array(TableName),
  feedback: z.array(Feedback),
  /** The request's documentation links and notes (untrusted: fenced before a prompt sees them). */
  docsUrls: z.array(z.string()).max(20).default([]),
  notes: z.string().max(20_000).default(''),
  /** For the test stage: the CI failure to fix. */
  ciFailure: CiFailure.nullable(),
  /** Stage budget in USD for this attempt, and what the whole run may still spend. */
  budgetUsd: z.number().nonnegative(),
  /** The same in tokens. */
  budgetTokens: z.number().int().nonnegative().default(4_000_000),
  runTokensLeft: z.number().int().nonnegative().default(20_000_000),
  runBudgetLeftUsd: z.number().nonnegative(),
  /** The run's layout (`RunSettings.layout`); jobs queued before it existed get the upstream layout. */
  layout: TargetLayout.default(DEFAULT_LAYOUT),
  /** `RunSettings.webFetch.allowedDomains`: hosts `web_fetch` may reach besides the documentation links' hosts. */
  webFetchAllowedDomains: z.array(z.string().max(253)).max(50).default([]),
});
export type StageJob = z.infer<typeof StageJob>;

/** Data of a verification job: re-check a stage's files on a moved branch head. */
export const VerificationJob = z.object({
  jobId: z.string().regex(/^[^:]+$/),
  ref: RunRef,
  source: SourceName,
  stage: Stage,
  batch: z.number().int().positive(),
  headSha: z.string(),
  /** The batch's tables and those of earlier batches, which the stage's check expects to find. */
  tables: z.array(TableName).default([]),
  completedTables: z.array(TableName).default([]),
  /** The run's layout (`RunSettings.layout`); jobs queued before it existed get the upstream layout. */
  layout: TargetLayout.default(DEFAULT_LAYOUT),
});
export type VerificationJob = z.infer<typeof VerificationJob>;

/** Data of a self-review job: score the connector at `headSha` with the repository's rubric. */
export const SelfReviewJob = z.object({
  jobId: z.string().regex(/^[^:]+$/),
  ref: RunRef,
  source: SourceName,
  branch: z.string(),
  batch: z.number().int().positive(),
  /** Every table the connector has after this batch. */
  tables: z.array(TableName),
  headSha: z.string().min(1),
  /** What the review may spend, like a stage attempt. */
  budgetUsd: z.number().nonnegative(),
  runBudgetLeftUsd: z.number().nonnegative(),
  budgetTokens: z.number().int().nonnegative(),
  runTokensLeft: z.number().int().nonnegative(),
  /** The run's layout (`RunSettings.layout`); jobs queued before it existed get the upstream layout. */
  layout: TargetLayout.default(DEFAULT_LAYOUT),
});
export type SelfReviewJob = z.infer<typeof SelfReviewJob>;

/** `owner-repo-issue-bN-stage-aM`: deterministic, so a retried enqueue is a no-op (no `:`, never all digits). */
export function stageJobId(ref: RunRef, stage: Stage, batch: number, attempt: number): string {
  return `${runSlug(ref)}-b${batch}-${stage}-a${attempt}`;
}

/** Job id of the re-check of `stage` at `headSha`. */
export function verificationJobId(ref: RunRef, stage: Stage, batch: number, headSha: string): string {
  return `${runSlug(ref)}-b${batch}-${stage}-verify-${headSha.slice(0, 12)}`;
}

/** Job id of the self-review of batch `batch` at `headSha`: one review per head. */
export function selfReviewJobId(ref: RunRef, batch: number, headSha: string): string {
  return `${runSlug(ref)}-b${batch}-self-review-${headSha.slice(0, 12)}`;
}

/** The `run_key` input of a dispatched workflow; `run-name` carries it so the run can be found. */
export function ciRunKey(ref: RunRef, stage: Stage, batch: number, attempt: number, mode: string): string {
  return `${runSlug(ref)}-b${batch}-${stage}-a${attempt}-${mode}`;
}

/** Key of the CI run that re-checks `stage`'s attempt on the moved head `headSha` (`-r<sha>` before the mode). */
export function ciRecheckKey(
  ref: RunRef,
  stage: Stage,
  batch: number,
  attempt: number,
  headSha: string,
  mode: string,
): string {
  return `${runSlug(ref)}-b${batch}-${stage}-a${attempt}-r${headSha.slice(0, 12)}-${mode}`;
}
