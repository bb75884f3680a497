import { z } from 'zod';
import { Command } from '../domain/commands/schema.js';
import { CommentTarget, RunEvent } from '../domain/pipeline/events.js';
import { RunRef } from '../domain/pipeline/run.js';

/**
 * Data of an `events` queue job. Parsed on enqueue and again in the processor: Redis may hold what
 * an older deploy wrote.
 */
export const EventJob = z.discriminatedUnion('kind', [
  /** A connector issue was opened or edited: parse the body, plan or re-plan. */
  z.object({
    kind: z.literal('issue_request'),
    ref: RunRef,
    repoUrl: z.string().max(300),
    action: z.enum(['opened', 'edited']),
    body: z.string().max(1_000_000),
  }),
  /**
   * An authorised command; the worker reacts 👀, reads the branch head and applies it. A command
   * written on a PR names the run's issue from the PR body; `viaPullRequest` is checked against the run.
   */
  z.object({
    kind: z.literal('command'),
    ref: RunRef,
    id: z.string(),
    command: Command,
    actor: z.string().max(100),
    target: CommentTarget,
    commentId: z.number().int().positive().nullable(),
    viaPullRequest: z.number().int().positive().nullable(),
    /** When the comment was written or last edited (GitHub's timestamp); absent in older jobs. */
    writtenAt: z.string().datetime({ offset: true }).nullable().optional(),
  }),
  /** Any other event for an existing run; `viaPullRequest` as for commands. */
  z.object({
    kind: z.literal('run_event'),
    ref: RunRef,
    event: RunEvent,
    viaPullRequest: z.number().int().positive().nullable().optional(),
  }),
  /** A reply that needs no run: a refused or malformed command. `ref.issue` is where it goes. */
  z.object({ kind: z.literal('reply'), ref: RunRef, key: z.string(), body: z.string().max(65_000) }),
  /**
   * The bot's workflow finished a run; `runKey` comes from its run name. Its branch, head commit and
   * event are checked against the run before anything is read (absent: it never matches).
   */
  z.object({
    kind: z.literal('workflow_run'),
    ref: RunRef,
    runKey: z.string().max(200),
    runId: z.number().int().positive(),
    conclusion: z.string().nullable(),
    url: z.string().max(500),
    headBranch: z.string().max(255).nullable().optional(),
    headSha: z.string().max(64).nullable().optional(),
    event: z.string().max(100).nullable().optional(),
  }),
  /**
   * The fallback for a lost `workflow_run` webhook: look up the run of `runKey`, dispatched at
   * `dispatchedAt`; `attempt` counts polls from 1 (job id `<runKey>-poll-<attempt>`).
   */
  z.object({
    kind: z.literal('ci_poll'),
    ref: RunRef,
    runKey: z.string().max(200),
    dispatchedAt: z.iso.datetime(),
    attempt: z.number().int().positive().max(10_000),
  }),
  /**
   * Redis was lost and this run had a recent delivery: load it, or rebuild it from its status
   * comment (queueing again what it waited on and the commands written since).
   */
  z.object({ kind: z.literal('rebuild'), ref: RunRef }),
]);
export type EventJob = z.infer<typeof EventJob>;
