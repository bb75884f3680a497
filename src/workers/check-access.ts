import { decideCommandPermission } from '../domain/commands/command-permissions.js';
import type { Command } from '../domain/commands/schema.js';
import type { RunRef } from '../domain/pipeline/run.js';
import { runLogId } from '../logging.js';
import { isCommandPrefixRequired } from './command-form.js';
import type { EventJob } from './event-job.js';
import { mayReply } from './may-reply.js';
import { runEffects } from './run-effects.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * The reply to a review from someone who may not `/revise`. It quotes nothing of the review.
 */
export const REVIEW_NOT_APPLIED_MESSAGE =
  'only reviews from people who may use `/revise` (write access or a listed approver) steer the bot, so this review was not passed to it. A maintainer can pass it on with `/revise`.';

/** A job past the access check: a review has become the run event it carries. */
export type CheckedJob = Exclude<EventJob, { kind: 'review' }>;

/** What the access check made of a job: the job to apply, or the outcome when it stops there. */
export type AccessChecked = { job: CheckedJob } | { outcome: string };

/**
 * The checks the webhook handlers leave to the events worker, so that a delivery is acknowledged
 * without a GitHub call: who wrote a command or a review (permission, the config's approvers) and
 * whether a workflow run or a labelled issue is the bot's (the config's workflow file and request
 * label: a request, or a reply on one), and whether a command written without `/lakeflow` is the
 * bot's at all (where the prefix is required it is another bot's: no reply, no action, a debug line).
 * Runs before the run's lock is taken; reads go through `deps.access` (cached for a minute).
 * A refused command or review gets the reply the handler used to send, rate-limited like every reply.
 */
export async function checkAccess(deps: WorkerDeps, job: EventJob): Promise<AccessChecked> {
  switch (job.kind) {
    case 'command':
      return checkCommand(deps, job);
    case 'review':
      return checkReview(deps, job);
    case 'workflow_run': {
      if (job.workflowPath === undefined) return { job };
      const { workflow } = await deps.access.settings(job.ref);
      return job.workflowPath.endsWith(`/${workflow}`) ? { job } : { outcome: 'ignored_other_workflow' };
    }
    case 'issue_request':
      return (await isRequestByLabels(deps, job.ref, job.requestLabels))
        ? { job }
        : { outcome: 'ignored_not_a_request' };
    case 'reply': {
      if (!(await isRequestByLabels(deps, job.ref, job.requestLabels)))
        return { outcome: 'ignored_not_a_request' };
      if (job.bareCommandBy === undefined) return { job };
      return (await checkBareCommand(deps, job.ref, job.bareCommandBy, true)) ?? { job };
    }
    default:
      return { job };
  }
}

/** True when `labels` is absent (the form wrote the issue) or holds the config's request label. */
export async function isRequestByLabels(
  deps: WorkerDeps,
  ref: RunRef,
  labels: readonly string[] | undefined,
): Promise<boolean> {
  if (labels === undefined) return true;
  const { labels: configured } = await deps.access.settings(ref);
  return labels.includes(configured.request);
}

/** Whether `actor` may run `command` on `ref`'s repository. */
async function decide(
  deps: WorkerDeps,
  ref: RunRef,
  params: { actor: string; command: Command; isIssueAuthor: boolean },
) {
  const [permission, { approvers }] = await Promise.all([
    deps.access.permission(ref, params.actor),
    deps.access.settings(ref),
  ]);
  return decideCommandPermission({
    command: params.command,
    permission,
    login: params.actor,
    isIssueAuthor: params.isIssueAuthor,
    approvers,
  });
}

/**
 * A command written without `/lakeflow`: dropped where the repository requires the prefix; else
 * passed, counting `actor`'s reply allowance when the bot will answer (`answers`), which the handler
 * left to the worker. Returns the outcome that stops the job, or `null` to go on.
 */
async function checkBareCommand(
  deps: WorkerDeps,
  ref: RunRef,
  actor: string,
  answers: boolean,
): Promise<{ outcome: string } | null> {
  if (await isCommandPrefixRequired(deps, ref)) {
    deps.log.debug({ run: runLogId(ref), actor }, 'Command without the /lakeflow prefix left to other bots');
    return { outcome: 'ignored_bare_command' };
  }
  if (answers && !(await mayReply(deps, ref, actor))) return { outcome: 'rate_limited' };
  return null;
}

async function checkCommand(
  deps: WorkerDeps,
  job: Extract<EventJob, { kind: 'command' }>,
): Promise<AccessChecked> {
  if (job.bareCommand === true) {
    // Without `checkAccess` it is `/status` or `/help`, answered to anyone: their allowance counts.
    const stopped = await checkBareCommand(deps, job.ref, job.actor, job.checkAccess === undefined);
    if (stopped !== null) return stopped;
  }
  if (job.checkAccess === undefined) return { job };
  const decision = await decide(deps, job.ref, {
    actor: job.actor,
    command: job.command,
    isIssueAuthor: job.checkAccess.isIssueAuthor,
  });
  if (decision.allowed) return { job };
  const body = `@${job.actor} ${decision.reason}. Ask a maintainer, or use \`/status\` to see where the run stands.`;
  return reply(deps, job.ref, job.actor, { key: job.id, issue: job.target.number, body });
}

async function checkReview(
  deps: WorkerDeps,
  job: Extract<EventJob, { kind: 'review' }>,
): Promise<AccessChecked> {
  const decision = await decide(deps, job.ref, {
    actor: job.actor,
    command: { type: 'revise', feedback: job.text },
    isIssueAuthor: false,
  });
  if (decision.allowed) {
    const event = {
      type: 'review_feedback' as const,
      id: job.id,
      author: job.actor,
      text: job.text,
      path: job.path,
    };
    return { job: { kind: 'run_event', ref: job.ref, event, viaPullRequest: job.pullRequest } };
  }
  return reply(deps, job.ref, job.actor, {
    key: `review-not-applied-pr${job.pullRequest}-${job.actor.toLowerCase()}`,
    issue: job.pullRequest,
    body: `@${job.actor} ${REVIEW_NOT_APPLIED_MESSAGE}`,
  });
}

/** Posts a refusal on `issue` (found again by `key`), unless `actor` has had their replies for now. */
async function reply(
  deps: WorkerDeps,
  ref: RunRef,
  actor: string,
  params: { key: string; issue: number; body: string },
): Promise<AccessChecked> {
  if (!(await mayReply(deps, ref, actor))) return { outcome: 'refused_rate_limited' };
  // Under the run's lock: two refusals sharing a key (one per person and PR for reviews) would
  // otherwise both find no comment and both create one.
  await deps.store.withLock(ref, () =>
    runEffects(deps, { ref: { ...ref, issue: params.issue }, run: null }, [
      { type: 'reply', key: params.key, target: { kind: 'issue', number: params.issue }, body: params.body },
    ]),
  );
  return { outcome: 'refused' };
}
