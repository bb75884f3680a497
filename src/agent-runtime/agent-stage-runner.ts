import { loadRepoConfig } from '../config/load-repo-config.js';
import type { PriceTable } from '../domain/accounting/pricing.js';
import type { AgentDefinition } from '../domain/agents/agent-definition.js';
import { resolveModelId } from '../domain/agents/models.js';
import type { StageJob, VerificationJob } from '../domain/pipeline/jobs.js';
import { addUsage, NO_USAGE, type Usage } from '../domain/pipeline/run.js';
import { buildPathPolicy } from '../domain/policy/path-policy.js';
import { verifyStage } from '../domain/verify/index.js';
import { ConfigError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { GitHubPort } from '../ports/github.js';
import type { ModelPort } from '../ports/model.js';
import type { StageResult, StageRunner } from '../ports/stage-runner.js';
import type { RepoRef } from '../workers/worker-deps.js';
import { createWorkspace } from '../workspace/workspace.js';
import { createWorkspaceTools } from './agent-tools.js';
import { buildStageContext } from './build-context.js';
import { collectConnectorFiles } from './collect-connector-files.js';
import { runAgent } from './run-agent.js';
import { STAGE_AGENTS, StageReport } from './stage-agents.js';

/** Limits of one agent run (defaults suit a phase of a connector). */
export interface AgentLimits {
  maxOutputTokens: number;
  wallClockMs: number;
  maxSubmitAttempts: number;
  maxNudges: number;
  webSearchMaxUses: number;
  webFetchMaxUses: number;
}

export const DEFAULT_AGENT_LIMITS: AgentLimits = Object.freeze({
  maxOutputTokens: 16_000,
  wallClockMs: 30 * 60_000,
  maxSubmitAttempts: 3,
  maxNudges: 2,
  webSearchMaxUses: 20,
  webFetchMaxUses: 40,
});

/**
 * The production `StageRunner`: runs the stage's agents on a workspace over the branch head, then
 * makes one commit (with the job's trailer, so a retried job finds it instead of committing again).
 */
export function createAgentStageRunner(params: {
  model: ModelPort;
  agents: ReadonlyMap<string, AgentDefinition>;
  github: (repo: RepoRef) => GitHubPort;
  prices: PriceTable;
  clock: Clock;
  reference?: string[];
  limits?: Partial<AgentLimits>;
}): StageRunner {
  const limits = { ...DEFAULT_AGENT_LIMITS, ...params.limits };
  return {
    async runStage(job: StageJob, signal: AbortSignal): Promise<StageResult> {
      const github = params.github(job.ref);
      const trailer = `Lakeflow-Job: ${job.jobId}`;
      const done = await github.findCommitByTrailer({ branch: job.branch, trailer });
      if (done !== null) {
        // A retried job whose commit landed: judge that commit, do not run the agents again.
        const verdict = await verifyAt(github, job, done);
        if (!verdict.ok)
          return { outcome: 'failed', reason: failedCheck(job, verdict.problems), usage: NO_USAGE };
        return { outcome: 'succeeded', commitSha: done, facts: verdict.facts, usage: NO_USAGE };
      }
      const head = await github.ensureBranch(job.branch);
      const workspace = createWorkspace({
        github,
        branch: job.branch,
        baseSha: head,
        policy: buildPathPolicy({ stage: job.stage, source: job.source }),
      });
      const config = await loadRepoConfig(github);
      let usage: Usage = NO_USAGE;
      for (const name of STAGE_AGENTS[job.stage]) {
        const agent = params.agents.get(name);
        if (agent === undefined)
          throw new ConfigError(
            `No agent file defines "${name}" (agents/${name}.md), needed for ${job.stage}.`,
          );
        const tools = createWorkspaceTools(workspace);
        const result = await runAgent({
          model: params.model,
          modelId: resolveModelId({ agent, perAgent: config.models, aliasIds: config.modelIds }),
          agent: { name: agent.name, prompt: agent.prompt, maxTurns: agent.maxTurns },
          reference: params.reference ?? [],
          context: buildStageContext(job),
          tools: agent.tools.flatMap((tool) => (tools[tool] === undefined ? [] : [tools[tool]])),
          ...(serverTools(agent, limits) ?? {}),
          submitSchema: StageReport,
          limits,
          budget: {
            stageUsd: job.budgetUsd,
            runLeftUsd: job.runBudgetLeftUsd,
            stageTokens: job.budgetTokens,
            runTokensLeft: job.runTokensLeft,
          },
          spent: usage,
          prices: params.prices,
          clock: params.clock,
          signal,
        });
        usage = addUsage(usage, result.usage);
        if (result.outcome === 'budget_exceeded') {
          return {
            outcome: 'budget_exceeded',
            budget: result.budget,
            limitUsd: result.limitUsd,
            ...(result.limitTokens === undefined ? {} : { limitTokens: result.limitTokens }),
            usage,
          };
        }
        if (result.outcome === 'gave_up')
          return { outcome: 'failed', reason: `${agent.name} ${result.reason}.`, usage };
      }
      const changes = await workspace.diff();
      if (changes.length === 0) {
        return {
          outcome: 'failed',
          reason: `The ${job.stage} agents submitted without changing any file.`,
          usage,
        };
      }
      const files = await collectConnectorFiles({
        source: job.source,
        list: (prefix) => workspace.listFiles(prefix),
        read: (path) => workspace.readFile(path),
      });
      const verdict = verifyStage(job.stage, {
        source: job.source,
        files,
        batchTables: job.tables,
        completedTables: job.completedTables,
      });
      if (!verdict.ok) return { outcome: 'failed', reason: failedCheck(job, verdict.problems), usage };
      const commit = await workspace.commit({
        message: `${job.stage}: ${job.source} (batch ${job.batch})`,
        jobId: job.jobId,
      });
      return { outcome: 'succeeded', commitSha: commit.sha, facts: verdict.facts, usage };
    },
    async verifyStage(job: VerificationJob) {
      const verdict = await verifyAt(
        params.github(job.ref),
        { ...job, tables: [], completedTables: [] },
        job.headSha,
      );
      return verdict.ok ? { ok: true, message: null } : { ok: false, message: verdict.problems.join(' ') };
    },
  };
}

function serverTools(agent: AgentDefinition, limits: AgentLimits) {
  const search = agent.tools.includes('web_search');
  const fetch = agent.tools.includes('web_fetch');
  if (!search && !fetch) return null;
  return {
    serverTools: {
      ...(search ? { webSearch: { maxUses: limits.webSearchMaxUses } } : {}),
      ...(fetch ? { webFetch: { maxUses: limits.webFetchMaxUses } } : {}),
    },
  };
}

/** Runs the stage's verifier on the connector's files as committed at `sha`. */
async function verifyAt(
  github: GitHubPort,
  job: Pick<StageJob, 'source' | 'stage' | 'tables' | 'completedTables'>,
  sha: string,
) {
  const listing = await github.listFiles({ ref: sha });
  const files = await collectConnectorFiles({
    source: job.source,
    list: async (prefix) => listing.map((file) => file.path).filter((path) => path.startsWith(prefix)),
    read: (path) => github.readFile({ path, ref: sha }),
  });
  return verifyStage(job.stage, {
    source: job.source,
    files,
    batchTables: job.tables,
    completedTables: job.completedTables,
  });
}

/** A failed check, phrased for the maintainer who reads the failure summary. */
function failedCheck(job: StageJob, problems: string[]): string {
  const listed = problems.slice(0, 10).map((problem) => `- ${problem}`);
  const more = problems.length > 10 ? [`- …and ${problems.length - 10} more.`] : [];
  return [`The ${job.stage} output failed its check, so nothing was committed:`, ...listed, ...more].join(
    '\n',
  );
}
