import { buildStageFacts } from '../../src/domain/pipeline/events.js';
import type { StageJob, VerificationJob } from '../../src/domain/pipeline/jobs.js';
import type { StagePartResult } from '../../src/domain/pipeline/stage-parts.js';
import { connectorPaths } from '../../src/domain/target-repo/connector-paths.js';
import type { GitHubPort } from '../../src/ports/github.js';
import type { StageResult, StageRunner } from '../../src/ports/stage-runner.js';
import type { RepoRef } from '../../src/workers/worker-deps.js';

const USAGE = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 };

type Verify = (job: VerificationJob) => Promise<{ ok: boolean; message: string | null }>;

/**
 * Stands in for the agents on a repository that already holds a working connector: each stage
 * commits one harmless edit through the real GitHub port (a comment at the end of the module, so
 * the package stage leaves the merged source stale and CI regenerates it; the docs ∥ spec parts a
 * line at the end of the README), so the connector's tests keep passing. The re-check of a moved
 * head is `verify` (by default: passes), e.g. the production runner's.
 */
export class EditingStageRunner implements StageRunner {
  constructor(
    private readonly github: (repo: RepoRef) => GitHubPort,
    private readonly verify: Verify = async () => ({ ok: true, message: null }),
  ) {}

  async runStage(job: StageJob): Promise<StageResult> {
    const { implementation } = connectorPaths(job.source, job.layout);
    return this.append(job, implementation, `# ${job.stage}, attempt ${job.attempt}\n`);
  }

  async runStagePart(_job: StageJob, agent: string): Promise<StagePartResult> {
    return { outcome: 'succeeded', agent, changes: [], usage: USAGE };
  }

  async finishStage(job: StageJob): Promise<StageResult> {
    const { readme } = connectorPaths(job.source, job.layout);
    return this.append(job, readme, `\n<!-- ${job.stage}, attempt ${job.attempt} -->\n`);
  }

  verifyStage(job: VerificationJob): Promise<{ ok: boolean; message: string | null }> {
    return this.verify(job);
  }

  private async append(job: StageJob, path: string, line: string): Promise<StageResult> {
    const github = this.github(job.ref);
    const head = await github.ensureBranch(job.branch);
    const current = (await github.readFile({ path, ref: head })) ?? '';
    const { sha } = await github.commitFiles({
      branch: job.branch,
      expectedHeadSha: head,
      message: `${job.stage}: ${job.source}\n\nLakeflow-Job: ${job.jobId}`,
      changes: [{ path, content: `${current}${line}` }],
    });
    const tables = job.tables.length > 0 ? job.tables : ['contacts'];
    return { outcome: 'succeeded', commitSha: sha, facts: buildStageFacts({ tables }), usage: USAGE };
  }
}
