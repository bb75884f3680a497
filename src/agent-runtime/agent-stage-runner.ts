import { loadRepoConfig } from '../config/load-repo-config.js';
import type { PriceTable } from '../domain/accounting/pricing.js';
import type { AgentDefinition } from '../domain/agents/agent-definition.js';
import { resolveModelId } from '../domain/agents/models.js';
import { primaryFileOfStage } from '../domain/connector-paths.js';
import type { StageJob, VerificationJob } from '../domain/pipeline/jobs.js';
import { addUsage, NO_USAGE, type Usage } from '../domain/pipeline/run.js';
import { buildPathPolicy } from '../domain/policy/path-policy.js';
import { ConfigError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { GitHubPort } from '../ports/github.js';
import type { ModelPort } from '../ports/model.js';
import type { StageResult, StageRunner } from '../ports/stage-runner.js';
import type { RepoRef } from '../workers/worker-deps.js';
import { createWorkspace } from '../workspace/workspace.js';
import { createWorkspaceTools } from './agent-tools.js';
import { buildStageContext } from './build-context.js';
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
      if (done !== null) return succeeded(done, [], job, NO_USAGE);
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
      if (changes.length === 0)
        return {
          outcome: 'failed',
          reason: `The ${job.stage} agents submitted without changing any file.`,
          usage,
        };
      const commit = await workspace.commit({
        message: `${job.stage}: ${job.source} (batch ${job.batch})`,
        jobId: job.jobId,
      });
      return succeeded(
        commit.sha,
        changes.map((change) => change.path),
        job,
        usage,
      );
    },
    async verifyStage(job: VerificationJob) {
      const github = params.github(job.ref);
      const expected = primaryFileOfStage(job.source, job.stage);
      const text = await github.readFile({ path: expected, ref: job.headSha });
      return text === null
        ? { ok: false, message: `\`${expected}\` is missing at \`${job.headSha.slice(0, 7)}\`.` }
        : { ok: true, message: null };
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

function succeeded(sha: string, files: string[], job: StageJob, usage: Usage): StageResult {
  return {
    outcome: 'succeeded',
    commitSha: sha,
    facts: {
      tables: job.tables,
      deferredTables: [],
      authMethod: null,
      ingestionTypes: {},
      connectionParams: [],
      files,
    },
    usage,
  };
}
