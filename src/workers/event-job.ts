import { z } from 'zod';
import { Command } from '../domain/commands/schema.js';
import { CommentTarget, RunEvent } from '../domain/pipeline/events.js';
import { RunRef } from '../domain/pipeline/run.js';

/** Labels of an issue not written by the form (each as GitHub caps them). */
const RequestLabels = z.array(z.string().max(100)).max(100);

/**
 * Data of an `events` queue job. Parsed on enqueue and again in the processor: Redis may hold what
 * an older deploy wrote.
 */
export const EventJob = z.discriminatedUnion('kind', [
  /**
   * A connector issue was opened or edited: parse the body, plan or re-plan. With `requestLabels`
   * (an issue not written by the form), it is a request only if the repository config's request
   * label is among them, which the worker checks first.
   */
  z.object({
    kind: z.literal('issue_request'),
    ref: RunRef,
    repoUrl: z.string().max(300),
    action: z.enum(['opened', 'edited']),
    body: z.string().max(1_000_000),
    requestLabels: RequestLabels.optional(),
  }),
  /**
   * A command; the worker reacts 👀, reads the branch head and applies it. With `checkAccess`, the
   * worker first checks that its author may run it (permission, the config's approvers, the issue's
   * author for `/cancel`) and replies to a refusal instead; without it (older jobs, commands replayed
   * after a rebuild), it was checked before it was queued. A command written on a PR names the run's
   * issue from the PR body; `viaPullRequest` is checked against the run. With `bareCommand`, it was
   * written without `/lakeflow`: where the repository requires the prefix it is another bot's, and
   * the worker drops it unanswered; elsewhere the worker counts the reply allowance of `/status` and
   * `/help` (the handler left it).
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
    checkAccess: z.object({ isIssueAuthor: z.boolean() }).optional(),
    bareCommand: z.literal(true).optional(),
  }),
  /**
   * A review, or a review comment on a line, on the bot's PR `pullRequest`: kept as feedback for the
   * run on `ref.issue` if its author may `/revise`; anyone else gets one reply on the PR (rate-limited
   * like every reply).
   */
  z.object({
    kind: z.literal('review'),
    ref: RunRef,
    id: z.string(),
    actor: z.string().max(100),
    text: z.string().max(10_000),
    path: z.string().max(500).nullable(),
    pullRequest: z.number().int().positive(),
  }),
  /**
   * A comment (`comment`, hidden first when it has a node id) or an issue description (`description`)
   * on `ref.issue` that looks like pasted credentials: its author is told to rotate it and how to hand
   * it over (rate-limited like every reply). With `requestLabels`, the issue is a run's thread only if the config's
   * request label is among them, and nothing happens otherwise. Nothing of the text is carried.
   */
  z.object({
    kind: z.literal('credentials_warning'),
    ref: RunRef,
    key: z.string().max(200),
    actor: z.string().max(100),
    where: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('comment'), nodeId: z.string().max(200).nullable() }),
      z.object({
        kind: z.literal('description'),
        action: z.enum(['opened', 'edited']),
        lines: z.array(z.number().int().positive()).max(1_000),
      }),
    ]),
    requestLabels: RequestLabels.optional(),
  }),
  /** Any other event for an existing run; `viaPullRequest` as for commands. */
  z.object({
    kind: z.literal('run_event'),
    ref: RunRef,
    event: RunEvent,
    viaPullRequest: z.number().int().positive().nullable().optional(),
  }),
  /**
   * A reply that needs no run: a refused or malformed command. `ref.issue` is where it goes. With
   * `requestLabels`, only if that issue is a request (the config's request label is among them). With
   * `bareCommandBy`, it answers that person's command written without `/lakeflow`: dropped unanswered
   * where the repository requires the prefix, else counted against their reply allowance here (the
   * handler left it).
   */
  z.object({
    kind: z.literal('reply'),
    ref: RunRef,
    key: z.string(),
    body: z.string().max(65_000),
    requestLabels: RequestLabels.optional(),
    bareCommandBy: z.string().max(100).optional(),
  }),
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
    /** The workflow file (`.github/workflows/<file>`); the worker checks it is the config's `workflow`. */
    workflowPath: z.string().max(500).optional(),
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
  /**
   * Bring the repository's dashboard issue up to date with its runs: queued under the repository's
   * coalesce key a little after a run changed, or at once when the issue is reopened. About no run:
   * it takes no run's lock, and `cancelRunJobs` never removes it.
   */
  z.object({
    kind: z.literal('dashboard'),
    repo: RunRef.pick({ installationId: true, owner: true, repo: true }),
  }),
]);
export type EventJob = z.infer<typeof EventJob>;
