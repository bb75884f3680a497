import { z } from 'zod';
import { GateResults } from '../ci/results-artifact.js';
import { Command } from '../commands/schema.js';
import { ConnectorRequest } from '../intake/schema.js';
import { SelfReviewOutcome } from '../review/schema.js';
import { Stage } from './phase.js';
import { TestCase, Usage } from './run.js';
import { BudgetExceeded, StageFailed, StageSucceeded } from './stage-result-events.js';

export { buildStageFacts, StageFacts } from './stage-result-events.js';

/** Where a comment was written: replies go back to the same thread. */
export const CommentTarget = z.object({ kind: z.enum(['issue', 'pull_request']), number: z.number().int() });
export type CommentTarget = z.infer<typeof CommentTarget>;

/**
 * Everything that can happen to an existing run. Each event has a stable `id` (the job id it
 * arrived with), so a redelivered event is recognised and not applied twice.
 */
export const RunEvent = z.discriminatedUnion('type', [
  /** The issue body was edited and still parses. */
  z.object({ type: z.literal('request_edited'), id: z.string(), request: ConnectorRequest }),
  /** An authorised person commented a command. `headSha` is the branch head when it was read (null: no branch). */
  z.object({
    type: z.literal('command'),
    id: z.string(),
    command: Command,
    actor: z.string().max(100),
    target: CommentTarget,
    headSha: z.string().nullable(),
    /** When its author wrote (or last edited) the comment; absent when unknown. */
    writtenAt: z.string().datetime({ offset: true }).nullable().optional(),
  }),
  StageSucceeded,
  StageFailed,
  BudgetExceeded,
  /** A review or review comment on the bot's PR, kept for the next `/revise` of the stage owning the file. */
  z.object({
    type: z.literal('review_feedback'),
    id: z.string(),
    author: z.string().max(100),
    text: z.string().max(10_000),
    path: z.string().max(500).nullable(),
  }),
  /**
   * A running stage job's spend so far (every attempt of the job), sent while it runs (throttled).
   * Shown in the status comment; charged only by the job's result. Named `spentSoFar`, not `usage`,
   * so nothing that sums events' `usage` (metrics) counts it.
   */
  z.object({
    type: z.literal('stage_progress'),
    id: z.string(),
    stage: Stage,
    batch: z.number().int().positive(),
    attempt: z.number().int().positive(),
    spentSoFar: Usage,
  }),
  /** The Actions run for `runKey` finished (or never appeared / never finished: `timed_out`). */
  z.object({
    type: z.literal('ci_completed'),
    id: z.string(),
    runKey: z.string().max(200),
    conclusion: z.enum(['success', 'failure', 'cancelled', 'timed_out']),
    url: z.string().max(500).nullable(),
    tests: z.array(TestCase).max(500),
    logExcerpt: z.string().max(20_000),
    /** A human explanation when the results could not be read or the run timed out. */
    problem: z.string().max(2_000).nullable(),
    /** The gates the run reported (absent: none read, or an event of an older deploy). */
    gates: GateResults.optional(),
    /** Where a person downloads the results artifact, when there is one. */
    artifactUrl: z.string().max(500).nullable().optional(),
    /**
     * Package runs: the commit in which the bot committed the merged source file CI regenerated
     * (then `gates.merged_source` reads `passed`); absent otherwise and in older events.
     */
    regeneratedCommit: z.string().min(1).max(100).optional(),
  }),
  /** The run's issue was closed (`issues.closed`) by `actor`: the run stops as on `/cancel`. */
  z.object({ type: z.literal('issue_closed'), id: z.string(), actor: z.string().max(100) }),
  /** The run's issue was reopened: a cancelled run does not resume; the bot says how to start again. */
  z.object({ type: z.literal('issue_reopened'), id: z.string(), actor: z.string().max(100) }),
  /** The run's PR was closed, `merged` or not (`pull_request.closed`). */
  z.object({
    type: z.literal('pull_request_closed'),
    id: z.string(),
    number: z.number().int().positive(),
    merged: z.boolean(),
    actor: z.string().max(100),
  }),
  /** The run's PR was reopened after it was closed without merging. */
  z.object({
    type: z.literal('pull_request_reopened'),
    id: z.string(),
    number: z.number().int().positive(),
    actor: z.string().max(100),
  }),
  /** The bot's draft PR for the run's branch exists (opened or found). */
  z.object({ type: z.literal('pull_request_linked'), id: z.string(), number: z.number().int().positive() }),
  /** The re-check of a stage on a moved branch head finished. */
  z.object({
    type: z.literal('verification_completed'),
    id: z.string(),
    headSha: z.string(),
    ok: z.boolean(),
    message: z.string().max(4_000).nullable(),
  }),
  /** The self-review of batch `batch` at `headSha` ended: scored by the bot, or failed with a reason. */
  z.object({
    type: z.literal('self_review_completed'),
    id: z.string(),
    batch: z.number().int().positive(),
    headSha: z.string(),
    usage: Usage,
    review: SelfReviewOutcome,
  }),
]);
export type RunEvent = z.infer<typeof RunEvent>;
export type RunEventType = RunEvent['type'];
