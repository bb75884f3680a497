import { buildIssueBody } from '../../src/cli/run/build-issue-body.js';
import { runSpendSoFar } from '../../src/domain/accounting/spend.js';
import { spellCommand } from '../../src/domain/commands/command-prefix.js';
import { stageSummaryKey } from '../../src/domain/pipeline/gates.js';
import type { Run } from '../../src/domain/pipeline/run.js';
import { describeStatus } from '../../src/domain/render/describe-status.js';
import { formatDuration, formatUsd } from '../../src/domain/render/format.js';
import { connectorPaths, shortPath } from '../../src/domain/target-repo/connector-paths.js';
import { findMarked, gist, newestId, newestReply, runOf } from './bot-view.js';
import type { Checklist, SmokeStep } from './checklist.js';
import type { SmokeGitHub } from './github.js';
import type { IssueComment } from './github-schemas.js';
import type { SmokeOptions } from './options.js';
import { pollUntil, StepFailure } from './poll.js';

/** How long the bot has to post its plan, to start research after `/approve`, and to cancel. */
export const ANSWER_TIMEOUT_MS = 120_000;

/** What the steps share, and what the clean-up and the report read after a failure. */
export interface SmokeRun {
  readonly github: SmokeGitHub;
  readonly options: SmokeOptions;
  readonly checklist: Checklist;
  /** Stops a wait (Ctrl-C); the clean-up swaps in its own. */
  signal: AbortSignal;
  readonly botLogin: string;
  readonly login: string;
  /** The step being checked now (the one a failure is reported against). */
  step: SmokeStep;
  issue: { number: number; url: string } | null;
  /** The run as the status comment's state marker last showed it. */
  run: Run | null;
  cancelSent: boolean;
}

/** A status as one plain line (the bot's phrases carry Markdown). */
export function plainStatus(run: Run): string {
  return describeStatus(run.status).replace(/[*`]/g, '');
}

function issueOf(smoke: SmokeRun): number {
  if (smoke.issue === null) throw new Error('no issue opened yet');
  return smoke.issue.number;
}

/** Reads the issue's comments and the run its status comment holds. */
async function look(smoke: SmokeRun): Promise<IssueComment[]> {
  const { owner, repo } = smoke.options;
  const comments = await smoke.github.comments(issueOf(smoke));
  smoke.run = runOf(comments, smoke.botLogin, { owner, repo, issue: issueOf(smoke) }) ?? smoke.run;
  return comments;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** Fails the step when the run can no longer get where the smoke test is waiting for it to go. */
function failIfStopped(run: Run | null): void {
  const kind = run?.status.kind;
  if (run !== null && (kind === 'failed' || kind === 'paused' || kind === 'cancelled' || kind === 'done'))
    throw new StepFailure(
      `the run is ${plainStatus(run)}${run.status.kind === 'failed' ? `: ${oneLine(run.status.reason)}` : ''}`,
    );
}

/**
 * Writes a command on the issue as `/lakeflow <name>`, which every repository takes (some take no
 * other form); returns the id of the newest comment before it.
 */
async function command(smoke: SmokeRun, name: 'approve' | 'cancel', step: SmokeStep): Promise<number> {
  smoke.step = step;
  const before = newestId(await look(smoke));
  const written = await smoke.github.comment(issueOf(smoke), spellCommand(name, true));
  if (name === 'cancel') smoke.cancelSent = true;
  smoke.checklist.pass(step, `${smoke.login} commented ${written.url}`);
  return before;
}

/** What the bot last answered after comment `afterId`, as a clause for a timeout message. */
async function answerSince(smoke: SmokeRun, afterId: number): Promise<string> {
  const reply = newestReply(await look(smoke), smoke.botLogin, afterId);
  return reply === undefined ? '' : `; the bot answered: "${gist(reply)}"`;
}

/** Opens the New connector request with the person's token. */
export async function openRequest(smoke: SmokeRun): Promise<void> {
  smoke.step = 'request opened';
  const { request } = smoke.options;
  const body = buildIssueBody({
    source: request.source,
    docsUrls: request.docsUrls,
    tables: request.tables,
    notes: 'Opened by `npm run smoke:live`, which approves the plan, waits for research and cancels.',
  });
  smoke.issue = await smoke.github.openIssue(`[connector]: ${request.source} (smoke:live)`, body);
  smoke.checklist.pass('request opened', `issue #${smoke.issue.number} ${smoke.issue.url}`);
}

/** Waits for the plan and the run waiting for its approval, on a branch that does not exist yet. */
export async function awaitPlan(smoke: SmokeRun): Promise<void> {
  smoke.step = 'plan posted';
  const run = await pollUntil({
    look: async () => {
      const comments = await look(smoke);
      const refused = findMarked(comments, smoke.botLogin, 'request-errors');
      if (refused !== undefined) throw new StepFailure(`the bot refused the request: ${gist(refused)}`);
      const duplicate = findMarked(
        comments,
        smoke.botLogin,
        `reply-duplicate-${smoke.options.request.source}`,
      );
      if (duplicate !== undefined) throw new StepFailure(`${gist(duplicate)} Cancel that run first.`);
      const planned = findMarked(comments, smoke.botLogin, 'plan') !== undefined;
      return planned && smoke.run?.status.kind === 'awaiting_plan_approval' ? smoke.run : null;
    },
    timeoutMs: ANSWER_TIMEOUT_MS,
    intervalMs: smoke.options.pollMs,
    signal: smoke.signal,
    timedOut: () =>
      `no plan from ${smoke.botLogin} on #${issueOf(smoke)} after ${formatDuration(ANSWER_TIMEOUT_MS)}: is the bot running, and do the App's webhooks reach it (the App's Advanced → Recent deliveries)?`,
  });
  if (run.source !== smoke.options.request.source)
    throw new StepFailure(`the plan is for ${run.source}, not ${smoke.options.request.source}`);
  if ((await smoke.github.branchHead(run.branch)) !== null)
    throw new StepFailure(
      `the branch ${run.branch} already exists (an earlier run's?): close its PR, delete it and run again`,
    );
  const tables =
    run.batch.tables.length === 0 ? 'research chooses the tables' : `tables ${run.batch.tables.join(', ')}`;
  smoke.checklist.pass(
    'plan posted',
    `${tables}; branch ${run.branch}; budget ${formatUsd(run.budget.stageUsd)} a phase, ${formatUsd(run.budget.runUsd)} a run`,
  );
}

/** Approves the plan and waits until the approval has queued research (its first attempt). */
export async function approveAndAwaitResearch(smoke: SmokeRun): Promise<void> {
  const before = await command(smoke, 'approve', '/approve sent');
  smoke.step = 'research started';
  const run = await pollUntil({
    look: async () => {
      await look(smoke);
      const run = smoke.run;
      if (run === null) return null;
      if ((run.batch.stages.research?.attempt ?? 0) > 0) return run;
      if (run.status.kind !== 'awaiting_plan_approval')
        throw new StepFailure(`the run is ${plainStatus(run)}`);
      return null;
    },
    timeoutMs: ANSWER_TIMEOUT_MS,
    intervalMs: smoke.options.pollMs,
    signal: smoke.signal,
    timedOut: async () =>
      `the run still waits for /approve of the plan after ${formatDuration(ANSWER_TIMEOUT_MS)}${await answerSince(smoke, before)}`,
  });
  smoke.checklist.pass('research started', `the run is ${plainStatus(run)}`);
}

/**
 * Waits for the research summary (the bot's comment marked with the research attempt's summary key,
 * on the issue or the PR) and checks the API doc is in the commit it describes.
 */
export async function awaitResearchSummary(smoke: SmokeRun): Promise<void> {
  smoke.step = 'research summary posted';
  const timeoutMs = smoke.options.researchTimeoutMs;
  const found = await pollUntil({
    look: async () => {
      const comments = await look(smoke);
      const run = smoke.run;
      if (run === null) return null;
      const research = run.batch.stages.research;
      if (research === undefined || research.state !== 'done' || research.commitSha === null) {
        failIfStopped(run);
        return null;
      }
      const key = stageSummaryKey(run.batch.number, 'research', research.attempt);
      if (findMarked(comments, smoke.botLogin, key) !== undefined)
        return { run, commit: research.commitSha, on: `issue #${run.ref.issue}` };
      if (run.pullRequest === null) return null;
      const onPull = findMarked(await smoke.github.comments(run.pullRequest), smoke.botLogin, key);
      return onPull === undefined ? null : { run, commit: research.commitSha, on: `PR #${run.pullRequest}` };
    },
    timeoutMs,
    intervalMs: smoke.options.pollMs,
    signal: smoke.signal,
    timedOut: () =>
      `no research summary after ${formatDuration(timeoutMs)}${smoke.run === null ? '' : `; the run is ${plainStatus(smoke.run)}`} (--research-minutes allows more)`,
  });
  const apiDoc = connectorPaths(found.run.source, found.run.settings.layout).apiDoc;
  if (!(await smoke.github.fileExists(apiDoc, found.commit)))
    throw new StepFailure(`the research commit ${found.commit.slice(0, 7)} has no ${apiDoc}`);
  smoke.checklist.pass(
    'research summary posted',
    `on ${found.on}; commit ${found.commit.slice(0, 7)} has ${shortPath(apiDoc)}; ${formatUsd(runSpendSoFar(found.run).costUsd)} spent`,
  );
}

/** Cancels the run and waits for the status comment to say so. */
export async function cancelAndAwait(smoke: SmokeRun): Promise<void> {
  const before = await command(smoke, 'cancel', '/cancel sent');
  smoke.step = 'run cancelled';
  const run = await awaitCancelled(smoke, ANSWER_TIMEOUT_MS, before);
  smoke.checklist.pass(
    'run cancelled',
    `${plainStatus(run)}; ${formatUsd(runSpendSoFar(run).costUsd)} spent in all`,
  );
}

/** Waits until the status comment shows the run cancelled. */
export async function awaitCancelled(smoke: SmokeRun, timeoutMs: number, afterId: number): Promise<Run> {
  return pollUntil({
    look: async () => {
      await look(smoke);
      return smoke.run?.status.kind === 'cancelled' ? smoke.run : null;
    },
    timeoutMs,
    intervalMs: smoke.options.pollMs,
    signal: smoke.signal,
    timedOut: async () =>
      `the run is not cancelled after ${formatDuration(timeoutMs)}${smoke.run === null ? '' : `: it is ${plainStatus(smoke.run)}`}${await answerSince(smoke, afterId)}`,
  });
}
