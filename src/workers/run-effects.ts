import { assertNever } from '../domain/assert-never.js';
import type { Effect } from '../domain/pipeline/effects.js';
import { STAGE_LABELS } from '../domain/pipeline/phase.js';
import { headOf } from '../domain/pipeline/progress.js';
import { type Run, type RunRef, runSlug } from '../domain/pipeline/run.js';
import { type CommentRenderer, MARKDOWN_COMMENTS } from '../domain/render/comment-renderer.js';
import { markBody } from '../domain/render/markers.js';
import { renderPullRequestBody, renderStatusComment } from '../domain/render/status-comment.js';
import { redactSecrets } from '../domain/sanitize/secret-scan.js';
import { InvariantError } from '../errors.js';
import type { GitHubPort } from '../ports/github.js';
import { commandSpeller } from './command-form.js';
import { requestDashboardRefresh } from './dashboard-queue.js';
import { dispatchCiOnce } from './dispatch-ci-once.js';
import type { WorkerDeps } from './worker-deps.js';

/** The run an effect applies to (`null` before a run exists: request errors, duplicate replies). */
export interface EffectContext {
  ref: RunRef;
  run: Run | null;
}

/** Where the bot's text goes: the repository's port, and how its commands are written there. */
interface Writer {
  github: GitHubPort;
  /** The body with its command mentions in the form the repository takes (`commandSpeller`). */
  spell: (body: string) => Promise<string>;
}

/**
 * Carries out effects in order through the ports. Each effect is idempotent (found by marker,
 * branch, check name or job id), because the outbox replays them all after a crash.
 */
export async function runEffects(
  deps: WorkerDeps,
  context: EffectContext,
  effects: readonly Effect[],
): Promise<void> {
  const writer: Writer = { github: deps.github(context.ref), spell: commandSpeller(deps, context.ref) };
  let current = context;
  for (const effect of effects) {
    const pullRequest = await runEffect(deps, writer, current, effect);
    // A PR opened by an earlier effect of this batch is where later summaries go.
    if (pullRequest !== undefined && current.run !== null)
      current = { ...current, run: { ...current.run, pullRequest } };
  }
}

/**
 * Creates or edits the bot's comment `key`; the body's first line is that key's marker. Every comment
 * the bot posts passes here, so this is where secrets are redacted (a failure reason or CI excerpt
 * may quote one) and where the commands it names are written as the repository takes them
 * (`/lakeflow approve` where the prefix is required).
 */
async function upsert(writer: Writer, issue: number, key: string, body: string): Promise<void> {
  const spelt = await writer.spell(body);
  await writer.github.upsertComment({ issue, key, body: markBody(key, redactSecrets(spelt)) });
}

/** How the comments are written: the terminal's for `run`, GitHub markdown otherwise. */
function commentsOf(deps: WorkerDeps): CommentRenderer {
  return deps.comments ?? MARKDOWN_COMMENTS;
}

function requireRun(context: EffectContext, effect: Effect): Run {
  if (context.run === null) throw new InvariantError(`Effect ${effect.type} needs a run, and there is none`);
  return context.run;
}

function pullRequestLabels(run: Run): string[] {
  return run.auth === 'skipped' ? [run.settings.needsLiveTestingLabel] : [];
}

/** Carries out one effect; returns the PR number when the effect opened or found the PR. */
async function runEffect(
  deps: WorkerDeps,
  writer: Writer,
  context: EffectContext,
  effect: Effect,
): Promise<number | undefined> {
  const { github } = writer;
  const issue = context.ref.issue;
  switch (effect.type) {
    case 'post_request_errors':
      await upsert(writer, issue, 'request-errors', commentsOf(deps).requestErrors(effect.errors));
      return;
    case 'clear_request_errors':
      await github.deleteComment({ issue, key: 'request-errors' });
      return;
    case 'reply':
      await upsert(writer, effect.target.number, `reply-${effect.key}`, commentsOf(deps).reply(effect.body));
      return;
    case 'log':
      deps.log[effect.level]({ ...effect.details, issue }, effect.message);
      return;
    case 'enqueue_stage':
      await deps.jobs.enqueueStage(effect.job);
      return;
    case 'enqueue_verification':
      await deps.jobs.enqueueVerification(effect.job);
      return;
    case 'enqueue_self_review':
      await deps.jobs.enqueueSelfReview(effect.job);
      return;
    case 'cancel_jobs':
      await deps.jobs.cancelRunJobs(context.ref);
      return;
    default:
      return runRunEffect(deps, writer, requireRun(context, effect), effect);
  }
}

type RunEffect = Exclude<
  Effect,
  {
    type:
      | 'post_request_errors'
      | 'clear_request_errors'
      | 'reply'
      | 'log'
      | 'enqueue_stage'
      | 'enqueue_verification'
      | 'enqueue_self_review'
      | 'cancel_jobs';
  }
>;

async function runRunEffect(
  deps: WorkerDeps,
  writer: Writer,
  run: Run,
  effect: RunEffect,
): Promise<number | undefined> {
  const { github } = writer;
  switch (effect.type) {
    case 'upsert_plan':
      await upsert(writer, run.ref.issue, 'plan', commentsOf(deps).plan(run));
      return;
    case 'sync_status':
      // Every saved change ends with this effect: the dashboard follows, coalesced (no GitHub call here).
      await requestDashboardRefresh(deps, run);
      await upsert(writer, run.ref.issue, 'status', renderStatusComment(run));
      // The run's PR, by number (a closed or merged one is left as it is); only when its body changed.
      if (run.pullRequest !== null && run.pullRequestClosed === undefined && !effect.pullRequestBodyUnchanged)
        await github.editPullRequestBody({
          number: run.pullRequest,
          body: await pullRequestBodyOf(writer, run),
        });
      return;
    case 'post_self_review': {
      const body = commentsOf(deps).selfReview({
        source: run.source,
        repoUrl: run.repoUrl,
        batch: effect.batch,
        headSha: effect.headSha,
        label: run.settings.selfReviewedLabel,
        review: effect.review,
        ...(effect.late === true ? { late: true } : {}),
      });
      await upsert(writer, run.pullRequest ?? run.ref.issue, 'self-review', body);
      return;
    }
    case 'post_summary': {
      const body = commentsOf(deps).summary(run, effect.summary);
      await upsert(writer, run.pullRequest ?? run.ref.issue, effect.key, body);
      return;
    }
    case 'ensure_branch':
      await github.ensureBranch(run.branch);
      return;
    case 'ensure_pull_request':
      // A run that has its PR has nothing to open; the status sync that ends the batch edits its body.
      return run.pullRequest ?? ensurePullRequest(deps, writer, run);
    case 'mark_pull_request_ready': {
      const number = run.pullRequest ?? (await ensurePullRequest(deps, writer, run));
      await github.markPullRequestReady({ number, reviewers: run.settings.reviewers });
      return;
    }
    case 'set_labels': {
      // The PR may be open but not linked to the run yet (its link event still queued): find it
      // rather than drop the labels; only a run with no commits (so no PR) has nothing to label.
      if (run.pullRequest === null && headOf(run) === null) return;
      const number = run.pullRequest ?? (await ensurePullRequest(deps, writer, run));
      await github.setLabels({ issue: number, add: effect.add, remove: effect.remove });
      return;
    }
    case 'upsert_check_run': {
      const headSha = effect.headSha ?? (await github.getBranchHead(run.branch));
      if (headSha === null) return;
      await github.upsertCheckRun({
        name: `lakeflow-connector-bot / ${STAGE_LABELS[effect.stage]}`,
        headSha,
        state: effect.state,
        title: effect.title,
        summary: `Batch ${effect.batch} of \`${run.source}\`: see the status comment on #${run.ref.issue}.`,
      });
      return;
    }
    case 'dispatch_ci':
      await dispatchCiOnce(deps, run, effect);
      return;
    default:
      return assertNever(effect);
  }
}

/** The PR body of `run` as the repository's commands are written, secrets redacted. */
async function pullRequestBodyOf(writer: Writer, run: Run): Promise<string> {
  return redactSecrets(await writer.spell(renderPullRequestBody(run)));
}

/** Opens or finds the draft PR and, the first time, tells the run its number (through the events queue). */
async function ensurePullRequest(deps: WorkerDeps, writer: Writer, run: Run): Promise<number> {
  const pr = await writer.github.ensurePullRequest({
    branch: run.branch,
    title: `Add the ${run.source} Lakeflow community connector`,
    body: await pullRequestBodyOf(writer, run),
    labels: pullRequestLabels(run),
    ...(run.pullRequest === null ? {} : { held: run.pullRequest }),
  });
  if (run.pullRequest !== pr.number) {
    await deps.jobs.enqueueEvent(`${runSlug(run.ref)}-pr-linked-${pr.number}`, {
      kind: 'run_event',
      ref: run.ref,
      event: { type: 'pull_request_linked', id: `pr-linked-${pr.number}`, number: pr.number },
    });
  }
  return pr.number;
}
