import { randomUUID } from 'node:crypto';
import { isAbsolute, relative } from 'node:path';
import { describeBranch, type GitCheckout } from '../../adapters/local/git-objects.js';
import {
  clearPendingCi,
  type LocalCiReport,
  listPendingCi,
  runLocalCi,
} from '../../adapters/local/local-ci.js';
import type { Command } from '../../domain/commands/schema.js';
import { STAGE_LABELS } from '../../domain/pipeline/phase.js';
import type { Run, RunRef } from '../../domain/pipeline/run.js';
import { formatDuration } from '../../domain/render/format.js';
import { commitRegeneratedSource } from '../../workers/commit-regenerated-source.js';
import type { LocalSession } from './build-local-session.js';
import type { LineReader } from './line-reader.js';
import { type GateKind, parseGateAnswer, renderGateQuestion } from './parse-gate-answer.js';

/** Exit codes of `run`: done; failed, cancelled or stopped at a gate; interrupted by Ctrl-C. */
export const RUN_EXIT = { done: 0, stopped: 1, interrupted: 130 } as const;

/** What the loop needs besides the session. */
export interface DriveParams {
  session: LocalSession;
  checkout: GitCheckout;
  ref: RunRef;
  yes: boolean;
  /** A failed run gets one question (try again / revise / cancel) when it was resumed. */
  resumed: boolean;
  python: string;
  reader: LineReader;
  print: (text: string) => void;
  actor: string;
  /** How to go on, for the messages (`npx lakeflow-connector-bot run --resume --repo <dir>`). */
  resumeHint: string;
}

/**
 * Runs the run to its next stop and answers its gates until it is done, failed, cancelled, out of
 * input or interrupted. Every step goes through the events queue as on GitHub: a gate answer is a
 * `command` event, a local CI result a `ci_completed` event.
 */
export async function driveRun(p: DriveParams): Promise<number> {
  let askedAfterFailure = false;
  for (;;) {
    await pump(p);
    if (p.session.stop.signal.aborted) return interrupted(p);
    const stored = await p.session.store.load(p.ref);
    if (stored === null) {
      p.print('No run was created: see the messages above.\n');
      return RUN_EXIT.stopped;
    }
    const run = stored.run;
    if (run.status.kind === 'done') return done(p, run);
    if (run.status.kind === 'cancelled') return RUN_EXIT.stopped;
    if (run.status.kind === 'failed') {
      if (!p.resumed || askedAfterFailure) {
        p.print(`The run stopped on a failure. Go on with: ${p.resumeHint}\n`);
        return RUN_EXIT.stopped;
      }
      askedAfterFailure = true;
    }
    const gate = gateOf(run);
    if (gate === null) {
      p.print(
        `The run is ${run.status.kind} but no job is left to run it (see the errors above). ${p.resumeHint}\n`,
      );
      return RUN_EXIT.stopped;
    }
    const command = await decide(p, run, gate);
    if (command === null) return p.session.stop.signal.aborted ? interrupted(p) : stoppedAtGate(p, gate);
    const id = `local-${randomUUID()}`;
    await p.session.jobs.enqueueEvent(id, {
      kind: 'command',
      ref: p.ref,
      id,
      command,
      actor: p.actor,
      target: { kind: 'issue', number: p.ref.issue },
      commentId: null,
      viaPullRequest: null,
    });
  }
}

/** Runs queued jobs, then the dispatched local CI runs, until nothing is left (or Ctrl-C). */
async function pump(p: DriveParams): Promise<void> {
  const { jobs, stop } = p.session;
  for (;;) {
    await jobs.drain();
    for (const failure of jobs.takeFailures())
      p.print(`✗ job ${failure.jobId} failed: ${failure.error.message}\n`);
    if (stop.signal.aborted) return;
    const pending = await listPendingCi(p.checkout);
    if (pending.length === 0) return;
    for (const request of pending) {
      let report: Awaited<ReturnType<typeof runLocalCi>>;
      const started = Date.now();
      try {
        const layout = (await p.session.store.load(request.ref))?.run.settings.layout;
        report = await runLocalCi({
          checkout: p.checkout,
          request,
          python: p.python,
          signal: stop.signal,
          ...(layout ? { layout } : {}),
        });
      } catch (error) {
        if (stop.signal.aborted) return;
        throw error;
      }
      const took = formatDuration(Date.now() - started);
      p.print(`  local CI results (${took}): ${checkoutPath(p.checkout, report.resultsDir)}\n`);
      const event = await settleMergedSource(p, report);
      if (event.regeneratedCommit !== undefined)
        p.print(`  committed the regenerated merged source file (${event.regeneratedCommit.slice(0, 7)})\n`);
      if (event.problem !== null) p.print(`  ${event.problem}\n`);
      await jobs.enqueueEvent(event.id, { kind: 'run_event', ref: request.ref, event });
      await clearPendingCi(p.checkout, request);
    }
  }
}

/** A package run red only on a stale merged source: the regenerated file is committed, as the bot does. */
async function settleMergedSource(p: DriveParams, report: LocalCiReport): Promise<LocalCiReport['event']> {
  const stored = await p.session.store.load(report.request.ref);
  if (stored === null) return report.event;
  return commitRegeneratedSource({
    github: p.session.github,
    run: stored.run,
    event: report.event,
    regenerated: report.regenerated,
  });
}

/** Which question the run waits on, or `null` when it waits for no one (a job should be running). */
export function gateOf(run: Run): GateKind | null {
  switch (run.status.kind) {
    case 'awaiting_plan_approval':
      return 'plan';
    case 'awaiting_approval':
      return run.status.gate.kind === 'next_batch' ? 'next_batch' : 'stage';
    case 'awaiting_credentials':
      return 'credentials';
    case 'paused':
      return 'paused';
    case 'failed':
      return 'failed';
    default:
      return null;
  }
}

/** The answer to a gate: `--yes` decides without asking where it may; otherwise the terminal is asked. */
async function decide(p: DriveParams, run: Run, gate: GateKind): Promise<Command | null> {
  p.print(`\n${describeGate(run, gate)}\n`);
  if (p.yes) {
    switch (gate) {
      case 'credentials':
        p.print(
          '--yes: no live check (as s, skip-auth, does); the connector is tested in simulate mode only.\n',
        );
        return { type: 'skip-auth' };
      case 'paused':
        p.print('--yes does not raise budgets: run again without --yes (with --resume) to decide.\n');
        return null;
      case 'failed':
        p.print('--yes: trying the failed stage again.\n');
        return { type: 'retry' };
      default:
        p.print('--yes: approved.\n');
        return { type: 'approve' };
    }
  }
  for (;;) {
    p.print(renderGateQuestion(gate));
    const line = await p.reader.next(p.session.stop.signal);
    if (line === null) {
      p.print('\n');
      return null;
    }
    const answer = parseGateAnswer(line, gate);
    if (answer.kind === 'command') return answer.command;
    p.print(`${answer.message}\n`);
  }
}

function describeGate(run: Run, gate: GateKind): string {
  const status = run.status;
  switch (gate) {
    case 'plan':
      return `The plan for ${run.source} is ready (branch ${run.branch}). Nothing is spent until you approve it.`;
    case 'stage':
      return status.kind === 'awaiting_approval' && status.gate.kind === 'stage'
        ? `${STAGE_LABELS[status.gate.stage]} is done: approve to go on, or revise it with feedback.`
        : 'A stage is done.';
    case 'next_batch':
      return `Batch ${run.batch.number} is packaged; ${run.deferredTables.length} table(s) are left: approve to build the next batch, cancel to stop here.`;
    case 'credentials':
      return 'The auth code is committed. Approve runs the live check locally with CONNECTOR_TEST_CONFIG_JSON from your environment; skip-auth goes on in simulate mode only.';
    case 'paused':
      return 'A budget is spent: approve raises it by the configured step and goes on.';
    case 'failed':
      return 'The run had failed: try the stage again, revise it with feedback, or cancel.';
  }
}

async function done(p: DriveParams, run: Run): Promise<number> {
  const { commits, files } = await describeBranch(p.checkout, {
    base: await p.session.github.base(),
    branch: run.branch,
  });
  p.print(`\nBranch ${run.branch}: ${commits.length} commit(s) on top of ${await p.session.github.base()}\n`);
  for (const commit of commits) p.print(`  ${commit}\n`);
  p.print(`Files (${files.length}):\n`);
  for (const file of files) p.print(`  ${file}\n`);
  return RUN_EXIT.done;
}

async function interrupted(p: DriveParams): Promise<number> {
  const stored = await p.session.store.load(p.ref);
  const branch = stored?.run.branch;
  const head = branch === undefined ? null : await p.session.github.getBranchHead(branch);
  const where =
    branch === undefined
      ? ''
      : ` Branch ${branch} is at ${head?.slice(0, 7) ?? '(not created)'}, with whole commits only.`;
  p.print(`\nInterrupted: the run is saved.${where} Go on with: ${p.resumeHint}\n`);
  return RUN_EXIT.interrupted;
}

function stoppedAtGate(p: DriveParams, gate: GateKind): number {
  p.print(`Stopped at the ${gate} question; nothing was lost. Go on with: ${p.resumeHint}\n`);
  return RUN_EXIT.stopped;
}

/** `path` relative to the checkout (as `git` and an editor there take it), or as it is when outside. */
function checkoutPath(checkout: GitCheckout, path: string): string {
  const inside = relative(checkout.dir, path);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}
