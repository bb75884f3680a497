import type { Summary } from './effects.js';
import type { StageFacts } from './events.js';
import type { Outcome } from './outcome.js';
import type { Stage } from './phase.js';
import { advancePast, hasKeptFeedback, startStage } from './progress.js';
import type { Run } from './run.js';

/**
 * The key of the gate summary of `stage`'s `attempt` in `batch`, e.g. `summary-b1-research-a1`: the
 * comment's hidden marker, by which the bot (and anyone reading GitHub) finds that summary.
 */
export function stageSummaryKey(batch: number, stage: Stage, attempt: number): string {
  return `summary-b${batch}-${stage}-a${attempt}`;
}

/**
 * Opens the gate after a stage: posts the summary and waits for `/approve`, or goes straight on when
 * the repository config auto-approves that stage. Either way the summary is posted. Feedback sent
 * while the stage ran (`/revise` during the run) is applied first: the stage runs again with it.
 */
export function openGate(run: Run, stage: Stage, headSha: string, summary: Summary): Outcome {
  if (hasKeptFeedback(run, stage)) return startStage(run, stage);
  const attempt = run.batch.stages[stage].attempt;
  const post = {
    type: 'post_summary' as const,
    key: stageSummaryKey(run.batch.number, stage, attempt),
    summary,
  };
  if (run.settings.autoApprove.includes(stage)) {
    const next = advancePast(run, stage);
    return { run: next.run, effects: [post, ...next.effects] };
  }
  return {
    run: { ...run, status: { kind: 'awaiting_approval', gate: { kind: 'stage', stage }, headSha } },
    effects: [post],
  };
}

/** The gate summary of a stage from its verified facts. */
export function stageSummary(run: Run, stage: Stage, headSha: string, facts: StageFacts): Summary {
  return {
    kind: 'stage',
    stage,
    batch: run.batch.number,
    attempt: run.batch.stages[stage].attempt,
    headSha,
    facts,
  };
}
