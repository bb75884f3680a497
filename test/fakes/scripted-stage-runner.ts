import { buildStageFacts } from '../../src/domain/pipeline/events.js';
import type { StageJob, VerificationJob } from '../../src/domain/pipeline/jobs.js';
import type { Usage } from '../../src/domain/pipeline/run.js';
import type { StagePartResult } from '../../src/domain/pipeline/stage-parts.js';
import type { StageResult, StageRunner } from '../../src/ports/stage-runner.js';

const USAGE: Usage = {
  inputTokens: 1200,
  outputTokens: 300,
  cacheReadTokens: 900,
  cacheWriteTokens: 200,
  costUsd: 0.25,
};

/**
 * A `StageRunner` that "commits" a fake sha per job and reports facts, standing in for the agent
 * runtime in queue tests. `onRun` can delay, throw or count.
 */
export class ScriptedStageRunner implements StageRunner {
  readonly runs: StageJob[] = [];
  /** Parallel parts run, in the order they started. */
  readonly parts: { job: StageJob; agent: string }[] = [];
  /** Calls of `finishStage`, with the parts it was given. */
  readonly finishes: { job: StageJob; parts: readonly StagePartResult[] }[] = [];
  constructor(
    private readonly onRun: (
      job: StageJob,
      signal: AbortSignal,
    ) => Promise<StageResult | undefined> = async () => undefined,
  ) {}

  async runStage(job: StageJob, signal: AbortSignal): Promise<StageResult> {
    this.runs.push(job);
    const scripted = await this.onRun(job, signal);
    if (scripted) return scripted;
    return {
      outcome: 'succeeded',
      commitSha: `${job.stage}-${job.batch}-${job.attempt}`.padEnd(40, '0'),
      facts: buildStageFacts({
        tables: job.tables.length > 0 ? job.tables : ['contacts'],
        authMethod: 'API key',
        connectionParams: ['api_key'],
      }),
      usage: USAGE,
    };
  }

  /** Parts whose agent throws this error (an infrastructure failure) instead of returning. */
  readonly partErrors = new Map<string, Error>();

  async runStagePart(job: StageJob, agent: string): Promise<StagePartResult> {
    this.parts.push({ job, agent });
    const error = this.partErrors.get(agent);
    if (error !== undefined) throw error;
    return { outcome: 'succeeded', agent, changes: [{ path: `${agent}.md`, content: agent }], usage: USAGE };
  }

  /** Fails when a part did not succeed; otherwise behaves as `runStage` (one scripted commit). */
  async finishStage(job: StageJob, parts: readonly StagePartResult[]): Promise<StageResult> {
    this.finishes.push({ job, parts });
    const failed = parts.filter((part) => part.outcome !== 'succeeded').map((part) => part.agent);
    if (failed.length > 0)
      return { outcome: 'failed', reason: `Parts did not succeed: ${failed.join(', ')}`, usage: USAGE };
    return this.runStage(job, new AbortController().signal);
  }

  async verifyStage(_job: VerificationJob): Promise<{ ok: boolean; message: string | null }> {
    return { ok: true, message: null };
  }
}
