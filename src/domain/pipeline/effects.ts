import { z } from 'zod';
import { SelfReviewOutcome } from '../review/schema.js';
import { CommentTarget, StageFacts } from './events.js';
import { SelfReviewJob, StageJob, VerificationJob } from './jobs.js';
import { Stage } from './phase.js';
import { CiMode, CiRunRecord, TestCase } from './run.js';

/** What a summary comment reports; rendered by `render/summary.ts` from these facts. */
export const Summary = z.discriminatedUnion('kind', [
  /** A stage passed its check; the gate is open. */
  z.object({
    kind: z.literal('stage'),
    stage: Stage,
    batch: z.number().int(),
    attempt: z.number().int(),
    headSha: z.string(),
    facts: StageFacts,
  }),
  /** The test stage is green: the real test table. */
  z.object({
    kind: z.literal('tests'),
    batch: z.number().int(),
    headSha: z.string(),
    tests: z.array(TestCase),
    ciRuns: z.array(CiRunRecord),
  }),
  /** A stage failed; says why and what to do. */
  z.object({
    kind: z.literal('stage_failed'),
    stage: Stage,
    batch: z.number().int(),
    reason: z.string(),
    tests: z.array(TestCase),
  }),
  /** Auth code is in: how to add the secret, or the result of the live check. */
  z.object({
    kind: z.literal('credentials'),
    headSha: z.string().nullable(),
    lastCheck: z.enum(['none', 'failed']),
    problem: z.string().nullable(),
  }),
  /** A budget ran out. */
  z.object({
    kind: z.literal('paused'),
    stage: Stage,
    budget: z.enum(['stage', 'run']),
    spentUsd: z.number(),
    limitUsd: z.number(),
    tokens: z.object({ spent: z.number(), limit: z.number() }).optional(),
  }),
  /** A batch is packaged and deferred tables remain. */
  z.object({ kind: z.literal('batch_done'), batch: z.number().int(), deferredTables: z.array(z.string()) }),
  /** Everything is built. */
  z.object({ kind: z.literal('final') }),
  /** The live validation asked for after completion finished: passed or not, with its tests. */
  z.object({
    kind: z.literal('live_check'),
    passed: z.boolean(),
    url: z.string().nullable(),
    tests: z.array(TestCase),
    reason: z.string().nullable(),
  }),
]);
export type Summary = z.infer<typeof Summary>;

const RequestFieldError = z.object({ field: z.string(), message: z.string() });

/**
 * A side effect the pure core asks for. The effect runner (`workers/run-effects.ts`) carries each
 * one out through the ports, idempotently: effects are saved in the run's outbox and replayed
 * after a crash. A zod schema because the outbox is read back from Redis.
 */
export const Effect = z.discriminatedUnion('type', [
  /** Create or edit the one comment listing what is wrong with the issue body (no run exists yet). */
  z.object({ type: z.literal('post_request_errors'), errors: z.array(RequestFieldError) }),
  /** Remove that comment once the body parses. */
  z.object({ type: z.literal('clear_request_errors') }),
  /** Create or edit the plan comment on the issue (rendered from the run). */
  z.object({ type: z.literal('upsert_plan') }),
  /**
   * Create or edit the status comment on the issue and the checklist in the PR body. The PR body is
   * left alone when `pullRequestBodyUnchanged` (the change did not touch what it shows): every edit
   * is a paced GitHub write.
   */
  z.object({ type: z.literal('sync_status'), pullRequestBodyUnchanged: z.literal(true).optional() }),
  /** Post a summary on the PR (or the issue, before the PR exists); `key` makes it idempotent. */
  z.object({ type: z.literal('post_summary'), key: z.string(), summary: Summary }),
  /** Answer a command or an edit where it was written; `key` (the event id) makes it idempotent. */
  z.object({ type: z.literal('reply'), key: z.string(), target: CommentTarget, body: z.string() }),
  /** Queue a stage job (`phases` queue). */
  z.object({ type: z.literal('enqueue_stage'), job: StageJob }),
  /** Queue a re-check of a stage on a moved head. */
  z.object({ type: z.literal('enqueue_verification'), job: VerificationJob }),
  /** Queue the self-review of the branch head (`phases` queue). */
  z.object({ type: z.literal('enqueue_self_review'), job: SelfReviewJob }),
  /** Create or edit the one sticky self-review comment on the PR (marker key `self-review`). */
  z.object({
    type: z.literal('post_self_review'),
    batch: z.number().int(),
    headSha: z.string(),
    review: SelfReviewOutcome,
    /** The branch moved past `headSha` before the review ended: posted, but the label is left alone. */
    late: z.boolean().optional(),
  }),
  /** Remove queued jobs of this run (`/cancel`). */
  z.object({ type: z.literal('cancel_jobs') }),
  /** Dispatch the bot's workflow on the run's branch. */
  z.object({
    type: z.literal('dispatch_ci'),
    runKey: z.string(),
    mode: CiMode,
    stage: Stage,
    batch: z.number().int(),
  }),
  /** Create the run's branch from the default branch head, if missing. */
  z.object({ type: z.literal('ensure_branch') }),
  /** Open the draft PR for the branch, if missing. */
  z.object({ type: z.literal('ensure_pull_request') }),
  /** Mark the PR ready for review and request reviewers. */
  z.object({ type: z.literal('mark_pull_request_ready') }),
  /** Add and remove labels on the PR (applied when the PR is created, if it does not exist yet). */
  z.object({ type: z.literal('set_labels'), add: z.array(z.string()), remove: z.array(z.string()) }),
  /** Create or update the check run of a stage on the branch head. */
  z.object({
    type: z.literal('upsert_check_run'),
    stage: Stage,
    batch: z.number().int(),
    // `queued` is no longer decided (a stage's check goes on its commit), but an outbox saved before
    // that may still hold one: it must parse after an upgrade.
    state: z.enum(['queued', 'in_progress', 'success', 'failure', 'cancelled']),
    headSha: z.string().nullable(),
    title: z.string(),
  }),
  /** Something worth an operator's attention that changes nothing (a stale job result, a dropped item). */
  z.object({
    type: z.literal('log'),
    level: z.enum(['info', 'warn']),
    message: z.string(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  }),
]);
export type Effect = z.infer<typeof Effect>;
export type EffectType = Effect['type'];
