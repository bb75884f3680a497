import { z } from 'zod';
import { CiMode, GateResults } from '../ci/results-artifact.js';
import { ConnectorRequest, SourceName, TableName } from '../intake/schema.js';
import { Stage } from './phase.js';
import { RunSettings } from './settings.js';
import { StageResultEvent } from './stage-result-events.js';
import { Usage } from './usage.js';

export { addUsage, NO_USAGE, totalTokens, Usage } from './usage.js';

/** Identifies a run: one connector issue in one repository of one installation. */
export const RunRef = z.object({
  installationId: z.number().int().positive(),
  owner: z.string().min(1).max(100),
  repo: z.string().min(1).max(100),
  issue: z.number().int().positive(),
});
export type RunRef = z.infer<typeof RunRef>;

/** Where a stage of the current batch stands. */
export const StageState = z.enum(['pending', 'running', 'done', 'failed', 'skipped']);
export type StageState = z.infer<typeof StageState>;

/** What the run remembers of one stage in the current batch. */
export const StageRecord = z.object({
  state: StageState,
  /** Attempts so far (0 = never enqueued); every enqueue (retry, revise, fix iteration) adds one. */
  attempt: z.number().int().nonnegative(),
  /** Head of the branch after the stage's last successful commit. */
  commitSha: z.string().nullable(),
  usage: Usage,
  durationMs: z.number().nonnegative(),
  /** A short note shown in the checklist, e.g. "live check skipped". */
  note: z.string().max(200).nullable(),
  /**
   * What attempt `attempt` has spent so far (`stage_progress`), shown while it runs; not yet in
   * `usage` nor in the run's: the attempt's result charges its whole spend and clears this.
   */
  live: z.object({ attempt: z.number().int().positive(), usage: Usage }).optional(),
});
export type StageRecord = z.infer<typeof StageRecord>;

/** Feedback waiting for the next run of a stage: `/revise` text or PR review comments. */
export const Feedback = z.object({
  stage: Stage,
  author: z.string().max(100),
  origin: z.enum(['command', 'review']),
  text: z.string().max(10_000),
  /** The file a review comment was made on. */
  path: z.string().max(500).nullable(),
});
export type Feedback = z.infer<typeof Feedback>;

/** One test case as read from JUnit XML. */
export const TestCase = z.object({
  name: z.string().max(300),
  outcome: z.enum(['passed', 'failed', 'error', 'skipped']),
  message: z.string().max(2_000).nullable(),
});
export type TestCase = z.infer<typeof TestCase>;

export { CiMode } from '../ci/results-artifact.js';

/** What the run remembers of one dispatched Actions run. */
export const CiRunRecord = z.object({
  runKey: z.string().max(200),
  stage: Stage,
  mode: CiMode,
  batch: z.number().int().positive(),
  url: z.string().max(500).nullable(),
  conclusion: z.enum(['pending', 'success', 'failure', 'cancelled', 'timed_out']),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** The gates the run reported (pytest, merged source, pylint, wheel, auth test). */
  gates: GateResults.optional(),
  /** Where a person downloads the results artifact (the wheel, in package mode). */
  artifactUrl: z.string().max(500).nullable().optional(),
});
export type CiRunRecord = z.infer<typeof CiRunRecord>;

/** The last red CI result of the test stage, handed to the tester agent on the next iteration. */
export const CiFailure = z.object({
  runKey: z.string().max(200),
  url: z.string().max(500).nullable(),
  tests: z.array(TestCase).max(500),
  logExcerpt: z.string().max(20_000),
});
export type CiFailure = z.infer<typeof CiFailure>;

/** Which gate a run waits at. */
export const Gate = z.discriminatedUnion('kind', [
  /** After a stage: approve to go on, revise to redo it. */
  z.object({ kind: z.literal('stage'), stage: Stage }),
  /** After `package`, with deferred tables left: approve to build the next batch. */
  z.object({ kind: z.literal('next_batch') }),
]);
export type Gate = z.infer<typeof Gate>;

/** Where the run stands. Every variant is documented; transitions live in `transition.ts`. */
export const RunStatus = z.discriminatedUnion('kind', [
  /** The plan is posted; nothing is spent until someone with write access approves. */
  z.object({ kind: z.literal('awaiting_plan_approval') }),
  /** A stage job is queued or running. */
  z.object({ kind: z.literal('running'), stage: Stage }),
  /**
   * A stage committed and its Actions run is in flight. `headSha` is the branch head the run was
   * dispatched on: a `workflow_run` of another commit is never applied (absent in runs dispatched
   * before it was recorded: the run's newest commit stands in).
   */
  z.object({
    kind: z.literal('waiting_for_ci'),
    stage: Stage,
    mode: CiMode,
    runKey: z.string(),
    headSha: z.string().nullable().optional(),
    /**
     * Set when this CI run re-checks an approved gate on a branch head that moved after its
     * summary: green goes past the gate, red fails the gate's stage (never another tester round).
     */
    recheck: Gate.optional(),
  }),
  /** A gate: `headSha` is the branch head the summary described; approval is bound to it. */
  z.object({ kind: z.literal('awaiting_approval'), gate: Gate, headSha: z.string().nullable() }),
  /** The branch moved after the summary: the stage is re-checked on `headSha` before approval counts. */
  z.object({ kind: z.literal('verifying'), gate: Gate, headSha: z.string() }),
  /** Auth code is committed; waiting for the maintainer to add the secret and `/approve`, or `/skip-auth`. */
  z.object({
    kind: z.literal('awaiting_credentials'),
    headSha: z.string().nullable(),
    lastCheck: z.enum(['none', 'failed']),
  }),
  /** A budget ran out; `/approve` raises it by the configured step and re-runs the stage. */
  z.object({
    kind: z.literal('paused'),
    stage: Stage,
    budget: z.enum(['stage', 'run']),
    spentUsd: z.number().nonnegative(),
    limitUsd: z.number().nonnegative(),
    /** Set when a token budget (not the USD one) ran out. */
    tokens: z.object({ spent: z.number().nonnegative(), limit: z.number().nonnegative() }).optional(),
  }),
  /** A stage failed; `/retry`, `/revise` or `/restart` go on. */
  z.object({ kind: z.literal('failed'), stage: Stage, reason: z.string().max(4_000) }),
  /** Stopped by `/cancel`; nothing further is spent. */
  z.object({
    kind: z.literal('cancelled'),
    by: z.string(),
    /** Why, when not a `/cancel` (e.g. "the issue was closed"); shown as "cancelled because …". */
    reason: z.string().max(200).optional(),
  }),
  /** Every batch is built; `/add-tables` starts another. */
  z.object({ kind: z.literal('done') }),
]);
export type RunStatus = z.infer<typeof RunStatus>;
export type RunStatusKind = RunStatus['kind'];

/** The current batch: its tables and the state of each stage. */
export const Batch = z.object({
  number: z.number().int().positive(),
  tables: z.array(TableName),
  stages: z.record(Stage, StageRecord),
});
export type Batch = z.infer<typeof Batch>;

/** Most stage results a run keeps for attempts it has not asked for yet. */
export const HELD_RESULTS_KEPT = 4;

/** A connector run: everything the bot needs to decide what happens next. Persisted in Redis. */
export const Run = z.object({
  schemaVersion: z.literal(1),
  ref: RunRef,
  /** Web URL of the repository, for links in comments (github.com or an Enterprise host). */
  repoUrl: z.string().max(300),
  source: SourceName,
  request: ConnectorRequest,
  /** The source already exists in the repository: the run extends it with new tables. */
  extension: z.boolean(),
  branch: z.string().max(300),
  pullRequest: z.number().int().positive().nullable(),
  /**
   * Set when the run's PR was closed (`closed`: without merging) or `merged`: the bot then never
   * opens or edits a PR for the branch again (a reopen clears `closed`). Absent: open, or none yet.
   */
  pullRequestClosed: z.enum(['closed', 'merged']).optional(),
  settings: RunSettings,
  status: RunStatus,
  /**
   * When the run last came to a new point a person answers (a gate, the credentials gate, a pause,
   * a failure): a command written before it answers something that is no longer there.
   */
  statusSince: z.string().optional(),
  batch: Batch,
  /** Tables implemented in earlier batches. */
  completedTables: z.array(TableName),
  /** Tables research found but left for later batches. */
  deferredTables: z.array(TableName),
  /** `pending` until the live auth check passes (`verified`) or is skipped (`skipped`). */
  auth: z.enum(['pending', 'verified', 'skipped']),
  feedback: z.array(Feedback).max(200),
  testIterations: z.number().int().nonnegative(),
  lastCiFailure: CiFailure.nullable(),
  ciRuns: z.array(CiRunRecord).max(100),
  /**
   * The self-review queued last (absent until one is): its result is posted even when it ends after
   * the branch moved on; a review of any other old head is ignored.
   */
  selfReviewRequested: z.object({ batch: z.number().int().positive(), headSha: z.string() }).optional(),
  usage: Usage,
  /**
   * Results of stage attempts the run had not asked for yet when they came (it was rebuilt behind
   * their jobs): each is applied when the run asks for its attempt, whose job already ran. Never
   * in the status comment's marker.
   */
  heldResults: z.array(StageResultEvent).max(HELD_RESULTS_KEPT).optional(),
  /** Budget in force (settings plus any raises). */
  budget: z.object({
    runUsd: z.number().positive(),
    stageUsd: z.number().positive(),
    runTokens: z.number().int().positive().default(20_000_000),
    stageTokens: z.number().int().positive().default(4_000_000),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Run = z.infer<typeof Run>;

/** True when two refs name the same run. */
export function isSameRun(a: RunRef, b: RunRef): boolean {
  return (
    a.installationId === b.installationId && a.owner === b.owner && a.repo === b.repo && a.issue === b.issue
  );
}

/** A run key safe for BullMQ job ids (no `:`) and Actions inputs: `owner-repo-issue`. */
export function runSlug(ref: RunRef): string {
  return `${ref.owner}-${ref.repo}-${ref.issue}`.replace(/[^A-Za-z0-9._-]/g, '_');
}
