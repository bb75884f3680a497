import { spellCommand } from '../../src/domain/commands/command-prefix.js';
import { formatDuration } from '../../src/domain/render/format.js';
import { newestId } from './bot-view.js';
import { createChecklist } from './checklist.js';
import type { SmokeCredentials } from './credentials.js';
import { createSmokeGitHub, type SmokeGitHub, statusOf } from './github.js';
import type { SmokeOptions } from './options.js';
import { Interrupted, messageOf, StepFailure } from './poll.js';
import { preflight } from './preflight.js';
import { renderReport } from './report.js';
import {
  approveAndAwaitResearch,
  awaitCancelled,
  awaitPlan,
  awaitResearchSummary,
  cancelAndAwait,
  openRequest,
  plainStatus,
  type SmokeRun,
} from './steps.js';

/** How long the clean-up after a failure waits for the run to show cancelled. */
const CLEANUP_TIMEOUT_MS = 60_000;

/** Exit statuses: every step passed, a step failed, refused to start, interrupted. */
export const EXIT = { passed: 0, failed: 1, refused: 2, interrupted: 130 } as const;

/**
 * One smoke run against the real services: the preflight (App installed, person may approve), then
 * request → plan → `/approve` → research summary → `/cancel` → cancelled, one checklist line per
 * step. Whatever fails after the issue is opened, `/cancel` is still written and the report says what
 * is left to remove. Returns the exit status.
 */
export async function runSmoke(params: {
  options: SmokeOptions;
  credentials: SmokeCredentials;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Fires on Ctrl-C: the step in progress stops and the clean-up runs. */
  signal: AbortSignal;
  github?: SmokeGitHub;
}): Promise<number> {
  const { options, credentials, out } = params;
  const slug = `${options.owner}/${options.repo}`;
  const github =
    params.github ?? createSmokeGitHub({ credentials, owner: options.owner, repo: options.repo });
  const checklist = createChecklist(out);
  out(
    `smoke:live on ${slug} (${credentials.apiUrl}): a request for ${options.request.source}, research allowed ${formatDuration(options.researchTimeoutMs)}`,
  );
  const checked = await preflight({ github, repo: slug, apiUrl: credentials.apiUrl, checklist });
  if ('refusal' in checked) {
    params.err(`smoke:live: refusing to run: ${checked.refusal}`);
    return EXIT.refused;
  }
  const smoke: SmokeRun = {
    github,
    options,
    checklist,
    signal: params.signal,
    botLogin: checked.botLogin,
    login: checked.login,
    step: 'request opened',
    issue: null,
    run: null,
    cancelSent: false,
  };
  let passed = false;
  let interrupted = false;
  try {
    await openRequest(smoke);
    await awaitPlan(smoke);
    await approveAndAwaitResearch(smoke);
    await awaitResearchSummary(smoke);
    await cancelAndAwait(smoke);
    passed = true;
  } catch (error) {
    interrupted = error instanceof Interrupted;
    checklist.fail(
      smoke.step,
      interrupted
        ? 'interrupted'
        : error instanceof StepFailure
          ? error.message
          : statusOf(error) === undefined
            ? messageOf(error)
            : `GitHub answered ${statusOf(error)}: ${messageOf(error)}`,
    );
    await cleanUp(smoke);
  }
  const branchExists =
    smoke.run === null
      ? false
      : await github.branchHead(smoke.run.branch).then(
          (head) => head !== null,
          () => true,
        );
  for (const line of renderReport(smoke, { passed, branchExists })) out(line);
  return passed ? EXIT.passed : interrupted ? EXIT.interrupted : EXIT.failed;
}

/** After a failure: `/cancel` (unless already written) and, when there is a run, wait to see it cancelled. */
async function cleanUp(smoke: SmokeRun): Promise<void> {
  if (smoke.issue === null) return;
  // Ctrl-C stopped the steps, not the clean-up (a second Ctrl-C quits at once).
  smoke.signal = new AbortController().signal;
  let afterId = 0;
  if (!smoke.cancelSent) {
    try {
      afterId = newestId(await smoke.github.comments(smoke.issue.number));
      const written = await smoke.github.comment(smoke.issue.number, spellCommand('cancel', true));
      smoke.cancelSent = true;
      smoke.checklist.note(`clean-up: ${smoke.login} commented ${written.url}`);
    } catch (error) {
      smoke.checklist.note(
        `clean-up: /cancel could not be written (${messageOf(error)}): write it on #${smoke.issue.number} yourself`,
      );
      return;
    }
  }
  if (smoke.run === null) {
    smoke.checklist.note('clean-up: no plan was approved, so nothing was spent');
    return;
  }
  if (smoke.run.status.kind === 'cancelled') return;
  try {
    const run = await awaitCancelled(smoke, CLEANUP_TIMEOUT_MS, afterId);
    smoke.checklist.note(`clean-up: the run is ${plainStatus(run)}`);
  } catch (error) {
    smoke.checklist.note(`clean-up: ${messageOf(error)}: check #${smoke.issue.number}`);
  }
}
