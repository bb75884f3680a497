import { buildStageFacts } from '../../src/domain/pipeline/events.js';
import type { StageJob, VerificationJob } from '../../src/domain/pipeline/jobs.js';
import type { Usage } from '../../src/domain/pipeline/run.js';
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

  async verifyStage(_job: VerificationJob): Promise<{ ok: boolean; message: string | null }> {
    return { ok: true, message: null };
  }
}
