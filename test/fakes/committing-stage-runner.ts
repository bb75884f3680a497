import { primaryFileOfStage } from '../../src/domain/connector-paths.js';
import { buildStageFacts } from '../../src/domain/pipeline/events.js';
import type { StageJob, VerificationJob } from '../../src/domain/pipeline/jobs.js';
import type { GitHubPort } from '../../src/ports/github.js';
import type { StageResult, StageRunner } from '../../src/ports/stage-runner.js';
import type { RepoRef } from '../../src/workers/worker-deps.js';

const USAGE = {
  inputTokens: 2000,
  outputTokens: 500,
  cacheReadTokens: 1500,
  cacheWriteTokens: 300,
  costUsd: 0.4,
};

/**
 * A stage runner for end-to-end tests that stands in for the agents but really commits: one file
 * per stage, through the GitHub port, with the `Lakeflow-Job` trailer, on the run's branch.
 */
export class CommittingStageRunner implements StageRunner {
  readonly runs: StageJob[] = [];
  constructor(private readonly github: (repo: RepoRef) => GitHubPort) {}

  async runStage(job: StageJob): Promise<StageResult> {
    this.runs.push(job);
    const github = this.github(job.ref);
    const head = await github.ensureBranch(job.branch);
    const path = primaryFileOfStage(job.source, job.stage);
    const { sha } = await github.commitFiles({
      branch: job.branch,
      expectedHeadSha: head,
      message: `${job.stage}: ${job.source} (batch ${job.batch})\n\nLakeflow-Job: ${job.jobId}`,
      changes: [{ path, content: `# ${job.stage} of ${job.source}, attempt ${job.attempt}\n` }],
    });
    const tables = job.tables.length > 0 ? job.tables : ['contacts'];
    return {
      outcome: 'succeeded',
      commitSha: sha,
      facts: buildStageFacts({ tables, authMethod: 'API key', connectionParams: ['api_key'], files: [path] }),
      usage: USAGE,
    };
  }

  async verifyStage(_job: VerificationJob): Promise<{ ok: boolean; message: string | null }> {
    return { ok: true, message: null };
  }
}
