import { loadRepoConfig } from '../config/load-repo-config.js';
import type { ToolName } from '../domain/agents/agent-definition.js';
import type { SelfReviewJob } from '../domain/pipeline/jobs.js';
import { buildPathPolicy } from '../domain/policy/path-policy.js';
import { checkConnectorFiles } from '../domain/review/file-checks.js';
import { SelfReviewSubmission } from '../domain/review/schema.js';
import type { SelfReviewer, SelfReviewResult } from '../ports/self-reviewer.js';
import { createWorkspace } from '../workspace/workspace.js';
import { DEFAULT_AGENT_LIMITS } from './agent-limits.js';
import { type AgentRuntimeParams, budgetOf, modelIdFor, requireAgent } from './agent-lookup.js';
import { createWorkspaceTools } from './agent-tools.js';
import { collectConnectorFiles } from './collect-connector-files.js';
import { runAgent } from './run-agent.js';
import { buildSelfReviewContext } from './self-review-context.js';

/** The agent file of the self-reviewer. */
export const SELF_REVIEWER_AGENT = 'connector-self-reviewer';

/** The only tools the reviewer ever gets, whatever its agent file lists: it reads, it never writes. */
const READ_ONLY_TOOLS: readonly ToolName[] = ['list_files', 'read_file', 'search_files'];

/**
 * The production `SelfReviewer`: runs the self-reviewer agent read-only on a workspace over the
 * reviewed head (nothing is ever committed), then runs the bot's own file checks on the same files.
 * The worker merges the two (the bot's checks win) and scores them.
 */
export function createAgentSelfReviewer(params: AgentRuntimeParams): SelfReviewer {
  const limits = { ...DEFAULT_AGENT_LIMITS, ...params.limits };
  return {
    async review(job: SelfReviewJob, signal: AbortSignal): Promise<SelfReviewResult> {
      const agent = requireAgent(params.agents, SELF_REVIEWER_AGENT, 'the self-review');
      const github = params.github(job.ref);
      const workspace = createWorkspace({
        github,
        branch: job.branch,
        baseSha: job.headSha,
        policy: buildPathPolicy({ stage: 'package', source: job.source, paths: job.layout }),
      });
      const config = await (params.loadConfig ?? loadRepoConfig)(github);
      const tools = createWorkspaceTools(workspace);
      const result = await runAgent({
        model: params.model,
        modelId: modelIdFor(agent, config, params.allowedModels ?? null),
        agent: { name: agent.name, prompt: agent.prompt, maxTurns: agent.maxTurns },
        reference: params.reference ?? [],
        context: buildSelfReviewContext(job),
        tools: READ_ONLY_TOOLS.flatMap((name) =>
          agent.tools.includes(name) && tools[name] !== undefined ? [tools[name]] : [],
        ),
        submitSchema: SelfReviewSubmission,
        limits,
        budget: budgetOf(job),
        prices: params.prices,
        clock: params.clock,
        signal,
      });
      if (result.outcome === 'gave_up') {
        return { status: 'failed', reason: `${agent.name} ${result.reason}.`, usage: result.usage };
      }
      if (result.outcome === 'budget_exceeded') {
        const which = result.budget === 'run' ? 'the run budget' : 'the per-stage budget the review uses';
        return { status: 'failed', reason: `${agent.name} stopped: ${which} ran out.`, usage: result.usage };
      }
      const report = SelfReviewSubmission.parse(result.report);
      const files = await collectConnectorFiles({
        source: job.source,
        layout: job.layout,
        list: (prefix) => workspace.listFiles(prefix),
        read: (path) => workspace.readFile(path),
      });
      return {
        status: 'reviewed',
        model: report.checks,
        bot: checkConnectorFiles({ source: job.source, files, layout: job.layout }),
        recommendations: report.recommendations,
        usage: result.usage,
      };
    },
  };
}
