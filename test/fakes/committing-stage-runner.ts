import { buildStageFacts } from '../../src/domain/pipeline/events.js';
import type { StageJob, VerificationJob } from '../../src/domain/pipeline/jobs.js';
import type { StagePartResult } from '../../src/domain/pipeline/stage-parts.js';
import { connectorPaths, primaryFileOfStage } from '../../src/domain/target-repo/connector-paths.js';
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
    const path = primaryFileOfStage(job.source, job.stage, job.layout);
    return this.commit(job, [{ path, content: `# ${job.stage} of ${job.source}, attempt ${job.attempt}\n` }]);
  }

  /** The doc writer's README or the spec generator's spec, returned rather than committed. */
  async runStagePart(job: StageJob, agent: string): Promise<StagePartResult> {
    const paths = connectorPaths(job.source);
    const path = agent === 'connector-doc-writer' ? paths.readme : paths.spec;
    const content = `# ${agent} for ${job.source}, attempt ${job.attempt}\n`;
    return { outcome: 'succeeded', agent, changes: [{ path, content }], usage: USAGE };
  }

  /** Commits every part's changes in one commit. */
  async finishStage(job: StageJob, parts: readonly StagePartResult[]): Promise<StageResult> {
    const changes = parts.flatMap((part) => (part.outcome === 'succeeded' ? part.changes : []));
    return this.commit(job, changes);
  }

  private async commit(
    job: StageJob,
    changes: { path: string; content: string | null }[],
  ): Promise<StageResult> {
    this.runs.push(job);
    const github = this.github(job.ref);
    const head = await github.ensureBranch(job.branch);
    const { sha } = await github.commitFiles({
      branch: job.branch,
      expectedHeadSha: head,
      message: `${job.stage}: ${job.source} (batch ${job.batch})\n\nLakeflow-Job: ${job.jobId}`,
      changes,
    });
    const tables = job.tables.length > 0 ? job.tables : ['contacts'];
    const files = changes.map((change) => change.path);
    return {
      outcome: 'succeeded',
      commitSha: sha,
      facts: buildStageFacts({ tables, authMethod: 'API key', connectionParams: ['api_key'], files }),
      usage: USAGE,
    };
  }

  async verifyStage(_job: VerificationJob): Promise<{ ok: boolean; message: string | null }> {
    return { ok: true, message: null };
  }
}
