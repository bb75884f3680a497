import { randomUUID } from 'node:crypto';
import type { StageJob } from '../domain/pipeline/jobs.js';
import { addUsage, NO_USAGE, type Usage } from '../domain/pipeline/run.js';
import type { StageControl } from '../ports/stage-runner.js';
import type { WorkerDeps } from './worker-deps.js';

/** Default least time between two `stage_progress` events of one job. */
const DEFAULT_PROGRESS_MS = 30_000;

/** The spend of one attempt of a stage job, recorded turn by turn. */
export interface StageSpend {
  /** What earlier attempts of the job spent (the ledger), read once when the attempt starts. */
  before: Usage;
  /** Records a turn in the ledger and, at most every `stageProgressIntervalMs` (not before the first has passed), reports progress. */
  onTurn: NonNullable<StageControl['onTurn']>;
  /**
   * Records what `reported` (a result's usage for this attempt) has beyond the turns this attempt
   * recorded: nothing for the agent runtime, whose result is the sum of its turns; the whole of it
   * for a runner that reports no turns. Never adds a turn twice.
   */
  reconcile(reported: Usage): Promise<void>;
  /** Everything the job has spent, every attempt: what its result event charges to the run. */
  total(): Promise<Usage>;
}

/**
 * Starts the spend record of one attempt of `job`. Each turn goes to the ledger under
 * `<attempt nonce>-<agent>-t<turn>` (a stalled job's recovery gets a new nonce, so its turns add to
 * the killed attempt's instead of being mistaken for them). Without a ledger only this attempt is
 * known. Progress events carry the job's total so far; the events worker keeps the run's state.
 */
export async function startStageSpend(deps: WorkerDeps, job: StageJob): Promise<StageSpend> {
  const ledger = deps.spendLedger;
  const nonce = randomUUID().slice(0, 8);
  const before = ledger === undefined ? NO_USAGE : (await ledger.total(job.jobId)).usage;
  const interval = deps.stageProgressIntervalMs ?? DEFAULT_PROGRESS_MS;
  let mine = NO_USAGE;
  let turns = 0;
  // The status comment shows the phase running from its start; spend follows once there is some
  // worth an edit (every edit is a paced GitHub write), so a phase shorter than `interval` sends none.
  let lastProgress = deps.clock.now().getTime();
  const total = async () =>
    ledger === undefined ? addUsage(before, mine) : (await ledger.total(job.jobId)).usage;
  return {
    before,
    total,
    async reconcile(reported) {
      const extra = usageBeyond(reported, mine);
      if (extra === null) return;
      mine = addUsage(mine, extra);
      await ledger?.record(job.jobId, `${nonce}-unreported`, extra);
    },
    async onTurn({ agent, turn, usage }) {
      mine = addUsage(mine, usage);
      turns += 1;
      await ledger?.record(job.jobId, `${nonce}-${agent}-t${turn}`, usage);
      const now = deps.clock.now().getTime();
      if (now - lastProgress < interval) return;
      lastProgress = now;
      const id = `${job.jobId}-spend-${nonce}-${turns}`;
      await deps.jobs.enqueueEvent(id, {
        kind: 'run_event',
        ref: job.ref,
        event: {
          type: 'stage_progress',
          id,
          stage: job.stage,
          batch: job.batch,
          attempt: job.attempt,
          spentSoFar: await total(),
        },
      });
    },
  };
}

/** What `a` counts beyond `b`, field by field (never below zero), or `null` when nothing. */
function usageBeyond(a: Usage, b: Usage): Usage | null {
  const extra: Usage = {
    inputTokens: Math.max(0, a.inputTokens - b.inputTokens),
    outputTokens: Math.max(0, a.outputTokens - b.outputTokens),
    cacheReadTokens: Math.max(0, a.cacheReadTokens - b.cacheReadTokens),
    cacheWriteTokens: Math.max(0, a.cacheWriteTokens - b.cacheWriteTokens),
    costUsd: Math.max(0, Math.round((a.costUsd - b.costUsd) * 1e6) / 1e6),
  };
  return Object.values(extra).every((value) => value === 0) ? null : extra;
}
