import type { StageFacts } from '../domain/pipeline/events.js';
import type { StageJob, VerificationJob } from '../domain/pipeline/jobs.js';
import type { Usage } from '../domain/pipeline/run.js';
import type { StagePartResult } from '../domain/pipeline/stage-parts.js';

/** How a stage job ended, as the stage worker reports it back to the run. */
export type StageResult =
  /** One verified commit: `commitSha` is the new branch head. */
  | { outcome: 'succeeded'; commitSha: string; facts: StageFacts; usage: Usage }
  /** The stage's output failed its check, or the agent gave up; `reason` is for a maintainer. */
  | { outcome: 'failed'; reason: string; usage: Usage }
  /** A budget ran out between turns. */
  | {
      outcome: 'budget_exceeded';
      budget: 'stage' | 'run';
      limitUsd: number;
      limitTokens?: number;
      usage: Usage;
    };

/** How the stage worker follows and steers a running stage. All optional: the CLI passes none. */
export interface StageControl {
  /**
   * Called after every model turn with what that turn cost, before anything else happens; the
   * worker records it (the spend ledger). A rejection is an infrastructure error.
   */
  onTurn?(turn: { agent: string; turn: number; usage: Usage }): Promise<void>;
  /** What earlier attempts of this job already spent: counted against the stage and run budgets. */
  spentBefore?: Usage;
  /** Called right before the one commit; throws (the signal's reason) when the run no longer wants it. */
  beforeCommit?(): Promise<void>;
  /**
   * True once this worker is shutting down: the runner lets the model call in flight finish (it is
   * paid for and recorded), then throws `StageHandedOverError` before the next one.
   */
  handOver?(): boolean;
  /** Where a handed-over agent is saved, and found again by the attempt that takes the job over. */
  checkpoints?: {
    load(agent: string): Promise<unknown>;
    save(agent: string, checkpoint: unknown): Promise<void>;
  };
}

/**
 * A stage stopped between two model turns so another worker can take the job over (shutdown).
 * `checkpoint` is where the agent stood (the runner's own format), for `StageControl.checkpoints`.
 */
export class StageHandedOverError extends Error {
  override readonly name = 'StageHandedOverError';
  constructor(
    message: string,
    readonly checkpoint?: unknown,
  ) {
    super(message);
  }
}

/**
 * Does the work of one stage: runs its agent(s) on the branch, commits once, verifies the files.
 * Implemented by the agent runtime; scripted in tests. Infrastructure errors are thrown (the job
 * retries); everything a maintainer can act on is a `failed` result.
 */
export interface StageRunner {
  /** Runs the whole stage in this process (its parallel parts one after the other) and commits once. */
  runStage(job: StageJob, signal: AbortSignal, control?: StageControl): Promise<StageResult>;
  /** Runs one agent of a stage with parallel parts (`partsOf`) and returns its file changes; commits nothing. */
  runStagePart(
    job: StageJob,
    agent: string,
    signal: AbortSignal,
    control?: StageControl,
  ): Promise<StagePartResult>;
  /** Verifies the parts' changes together on the branch head and commits them once. */
  finishStage(job: StageJob, parts: readonly StagePartResult[], control?: StageControl): Promise<StageResult>;
  /** Re-checks a stage's files at `job.headSha`; `message` says what no longer holds. */
  verifyStage(job: VerificationJob): Promise<{ ok: boolean; message: string | null }>;
}
