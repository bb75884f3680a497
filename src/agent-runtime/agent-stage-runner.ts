import { loadRepoConfig } from '../config/load-repo-config.js';
import type { AgentDefinition } from '../domain/agents/agent-definition.js';
import type { StageJob, VerificationJob } from '../domain/pipeline/jobs.js';
import { addUsage, NO_USAGE, type Usage } from '../domain/pipeline/run.js';
import { partJob, partsOf, type StagePartResult } from '../domain/pipeline/stage-parts.js';
import { buildPathPolicy } from '../domain/policy/path-policy.js';
import { buildWebFetchDomains } from '../domain/policy/web-fetch-domains.js';
import { verifyStage } from '../domain/verify/index.js';
import { InvariantError } from '../errors.js';
import type { GitHubPort } from '../ports/github.js';
import type { ServerTools } from '../ports/model.js';
import {
  type StageControl,
  StageHandedOverError,
  type StageResult,
  type StageRunner,
} from '../ports/stage-runner.js';
import { textOf } from '../workspace/tree-text.js';
import { createWorkspace, ToolError, type Workspace } from '../workspace/workspace.js';
import { type AgentLoopState, parseAgentCheckpoint } from './agent-checkpoint.js';
import { type AgentLimits, DEFAULT_AGENT_LIMITS } from './agent-limits.js';
import { type AgentRuntimeParams, budgetOf, modelIdFor, requireAgent } from './agent-lookup.js';
import { createWorkspaceTools } from './agent-tools.js';
import { buildStageContextParts, type StageContextParts } from './build-context.js';
import { collectConnectorFiles } from './collect-connector-files.js';
import { runAgent } from './run-agent.js';
import { STAGE_AGENTS, StageReport } from './stage-agents.js';

/** The stage's context, the web note ending its stage part (the first message's last). */
function stageContext(job: StageJob, webNote: string): StageContextParts {
  const { repository, messages } = buildStageContextParts(job);
  const last = messages.length - 1;
  return { repository, messages: messages.map((text, index) => (index === last ? text + webNote : text)) };
}

/** What the agents of one workspace ended with: go on to verify and commit, or stop with `result`. */
type AgentsOutcome = { usage: Usage; stop: StageResult | null };

/**
 * The production `StageRunner`: runs the stage's agents on a workspace over the branch head, then
 * makes one commit (with the job's trailer, so a retried job finds it instead of committing again).
 * A stage with parallel parts (`docs_spec`) runs each agent on its own workspace, narrowed to the
 * file it owns; `finishStage` replays their changes on one workspace, verifies and commits once.
 */
export function createAgentStageRunner(params: AgentRuntimeParams): StageRunner {
  const limits = { ...DEFAULT_AGENT_LIMITS, ...params.limits };

  /** Runs `names` in order on `workspace`; stops at the first that gives up or runs out of budget. */
  async function runAgents(
    job: StageJob,
    workspace: Workspace,
    names: readonly string[],
    signal: AbortSignal,
    control: StageControl,
  ): Promise<AgentsOutcome> {
    const config = await (params.loadConfig ?? loadRepoConfig)(params.github(job.ref));
    let usage: Usage = NO_USAGE;
    const before = control.spentBefore ?? NO_USAGE;
    for (const name of names) {
      const agent = requireAgent(params.agents, name, job.stage);
      const tools = createWorkspaceTools(workspace);
      const web = webTools(agent, limits, job);
      const resume = await resumeAgent(control, agent.name, workspace);
      const context = stageContext(job, web.note);
      const result = await runAgent({
        model: params.model,
        modelId: modelIdFor(agent, config, params.allowedModels ?? null),
        agent: { name: agent.name, prompt: agent.prompt, maxTurns: agent.maxTurns },
        reference: params.reference ?? [],
        sharedContext: { text: context.repository, cacheTtl: config.promptCacheTtl },
        context: context.messages,
        tools: agent.tools.flatMap((tool) => (tools[tool] === undefined ? [] : [tools[tool]])),
        ...(web.serverTools ? { serverTools: web.serverTools } : {}),
        submitSchema: StageReport,
        limits,
        budget: budgetOf(job),
        spent: addUsage(before, usage),
        prices: params.prices,
        clock: params.clock,
        signal,
        ...(control.handOver === undefined ? {} : { handOver: control.handOver }),
        ...(control.onTurn === undefined
          ? {}
          : {
              onTurn: (turn, turnUsage) =>
                control.onTurn?.({ agent: agent.name, turn, usage: turnUsage }) ?? Promise.resolve(),
            }),
        // Its earlier turns are in `spentBefore` (the ledger): the loop counts only new ones.
        ...(resume === null ? {} : { resume: { ...resume, usage: NO_USAGE } }),
      }).catch(async (error: unknown) => {
        if (error instanceof StageHandedOverError && control.checkpoints !== undefined) {
          const changes = (await workspace.diff()).map(({ path, content }) => ({ path, content }));
          const checkpoint = {
            agent: agent.name,
            baseSha: workspace.baseSha,
            changes,
            loop: error.checkpoint,
          };
          await control.checkpoints.save(agent.name, checkpoint);
        }
        throw error;
      });
      usage = addUsage(usage, result.usage);
      if (result.outcome === 'budget_exceeded') {
        const { budget, limitUsd, limitTokens } = result;
        const tokens = limitTokens === undefined ? {} : { limitTokens };
        return { usage, stop: { outcome: 'budget_exceeded', budget, limitUsd, ...tokens, usage } };
      }
      if (result.outcome === 'gave_up')
        return { usage, stop: { outcome: 'failed', reason: `${agent.name} ${result.reason}.`, usage } };
    }
    return { usage, stop: null };
  }

  /** Verifies the workspace's files for the stage and commits them once. */
  async function verifyAndCommit(
    job: StageJob,
    workspace: Workspace,
    usage: Usage,
    control: StageControl,
  ): Promise<StageResult> {
    if ((await workspace.diff()).length === 0) {
      return {
        outcome: 'failed',
        reason: `The ${job.stage} agents submitted without changing any file.`,
        usage,
      };
    }
    const files = await collectConnectorFiles({
      source: job.source,
      layout: job.layout,
      list: (prefix) => workspace.listFiles(prefix),
      read: (path) => workspace.readFile(path),
    });
    const verdict = verifyStage(job.stage, {
      source: job.source,
      layout: job.layout,
      files,
      batchTables: job.tables,
      completedTables: job.completedTables,
    });
    if (!verdict.ok) return { outcome: 'failed', reason: failedCheck(job, verdict.problems), usage };
    await control.beforeCommit?.();
    const commit = await workspace.commit({
      message: `${job.stage}: ${job.source} (batch ${job.batch})`,
      jobId: job.jobId,
    });
    return { outcome: 'succeeded', commitSha: commit.sha, facts: verdict.facts, usage };
  }

  /** The commit of a job that already landed (a retry), judged again; `null` when there is none. */
  async function alreadyCommitted(job: StageJob): Promise<StageResult | null> {
    const github = params.github(job.ref);
    const done = await github.findCommitByTrailer({
      branch: job.branch,
      trailer: `Lakeflow-Job: ${job.jobId}`,
    });
    if (done === null) return null;
    const verdict = await verifyAt(github, job, done);
    if (!verdict.ok)
      return { outcome: 'failed', reason: failedCheck(job, verdict.problems), usage: NO_USAGE };
    return { outcome: 'succeeded', commitSha: done, facts: verdict.facts, usage: NO_USAGE };
  }

  async function openWorkspace(job: StageJob, agent?: string): Promise<Workspace> {
    const github = params.github(job.ref);
    const head = await github.ensureBranch(job.branch);
    const policy = buildPathPolicy({
      stage: job.stage,
      source: job.source,
      paths: job.layout,
      ...(agent ? { agent } : {}),
    });
    return createWorkspace({ github, branch: job.branch, baseSha: head, policy });
  }

  /**
   * The workspace a stage commits from, over the branch head read now, or the job's result when its
   * commit already landed. The commit is looked for after the head is read: one made before is
   * found here, and one made after moves the branch, so the new commit's compare-and-set fails and
   * `commitChanges` finds it then. So the commit itself asks nothing first.
   */
  async function openForCommit(job: StageJob): Promise<{ done: StageResult } | { workspace: Workspace }> {
    const workspace = await openWorkspace(job);
    const done = await alreadyCommitted(job);
    return done === null ? { workspace } : { done };
  }

  /** Replays the parts' changes on one workspace over the head, verifies them and commits once. */
  async function commitParts(
    job: StageJob,
    parts: readonly StagePartResult[],
    control: StageControl,
  ): Promise<StageResult> {
    const usage = parts.reduce((sum, part) => ('usage' in part ? addUsage(sum, part.usage) : sum), NO_USAGE);
    const problem = partsProblem(job, parts, usage);
    if (problem !== null) return problem;
    const opened = await openForCommit(job);
    if ('done' in opened) return opened.done;
    const { workspace } = opened;
    try {
      for (const part of parts) {
        if (part.outcome !== 'succeeded') continue;
        for (const change of part.changes) {
          if (change.content === null) await workspace.deleteFile(change.path);
          else await workspace.writeFile(change.path, change.content);
        }
      }
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      return {
        outcome: 'failed',
        reason: `The ${job.stage} parts wrote a file this stage may not: ${error.message}`,
        usage,
      };
    }
    return verifyAndCommit(job, workspace, usage, control);
  }

  const runner: StageRunner = {
    async runStage(job, signal, control = {}) {
      const parts = partsOf(job.stage);
      if (parts !== null) {
        // A retried job whose commit landed spends nothing on its parts.
        const done = await alreadyCommitted(job);
        if (done !== null) return done;
        const results: StagePartResult[] = [];
        for (const agent of parts) results.push(await runner.runStagePart(job, agent, signal, control));
        return commitParts(job, results, control);
      }
      const opened = await openForCommit(job);
      if ('done' in opened) return opened.done;
      const agents = await runAgents(job, opened.workspace, STAGE_AGENTS[job.stage], signal, control);
      return agents.stop ?? verifyAndCommit(job, opened.workspace, agents.usage, control);
    },

    async runStagePart(job, agent, signal, control = {}) {
      const parts = partsOf(job.stage) ?? [];
      if (!parts.includes(agent))
        throw new InvariantError(`${agent} is not a parallel part of the ${job.stage} stage`);
      const workspace = await openWorkspace(job, agent);
      const agents = await runAgents(partJob(job, parts.length), workspace, [agent], signal, control);
      if (agents.stop?.outcome === 'failed') return { ...agents.stop, agent };
      if (agents.stop?.outcome === 'budget_exceeded') return { ...agents.stop, agent };
      const changes = (await workspace.diff()).map(({ path, content }) => ({ path, content }));
      return { outcome: 'succeeded', agent, changes, usage: agents.usage };
    },

    async finishStage(job, parts, control = {}) {
      return commitParts(job, parts, control);
    },

    async verifyStage(job: VerificationJob) {
      const verdict = await verifyAt(params.github(job.ref), job, job.headSha);
      return verdict.ok ? { ok: true, message: null } : { ok: false, message: verdict.problems.join(' ') };
    },
  };
  return runner;
}

/**
 * The loop of `agent` as a shut-down worker left it, with its file changes replayed on `workspace`;
 * `null` (start over) when there is none, or it was made on another branch head.
 */
async function resumeAgent(
  control: StageControl,
  agent: string,
  workspace: Workspace,
): Promise<AgentLoopState | null> {
  if (control.checkpoints === undefined) return null;
  const checkpoint = parseAgentCheckpoint(await control.checkpoints.load(agent), agent);
  if (checkpoint === null || checkpoint.baseSha !== workspace.baseSha) return null;
  for (const change of checkpoint.changes) {
    if (change.content === null) await workspace.deleteFile(change.path);
    else await workspace.writeFile(change.path, change.content);
  }
  return checkpoint.loop;
}

/**
 * Why the parts cannot be committed (a part failed, ran out of budget, was skipped, is missing, or
 * two parts wrote the same file), or `null` when they can.
 */
function partsProblem(
  job: StageJob,
  parts: readonly StagePartResult[],
  usage: Usage,
): Exclude<StageResult, { outcome: 'succeeded' }> | null {
  const expected = partsOf(job.stage) ?? [];
  const budget = parts.find((part) => part.outcome === 'budget_exceeded');
  if (budget?.outcome === 'budget_exceeded') {
    const tokens = budget.limitTokens === undefined ? {} : { limitTokens: budget.limitTokens };
    return { outcome: 'budget_exceeded', budget: budget.budget, limitUsd: budget.limitUsd, ...tokens, usage };
  }
  const failures = parts.flatMap((part) => (part.outcome === 'failed' ? [part.reason] : []));
  const missing = expected.filter(
    (agent) => !parts.some((part) => part.agent === agent && part.outcome !== 'skipped'),
  );
  const problems = [...failures, ...missing.map((agent) => `${agent} did not run.`)];
  const written = new Map<string, string>();
  for (const part of parts) {
    if (part.outcome !== 'succeeded') continue;
    for (const change of part.changes) {
      const other = written.get(change.path);
      if (other !== undefined && other !== part.agent)
        problems.push(`${other} and ${part.agent} both changed ${change.path}.`);
      written.set(change.path, part.agent);
    }
  }
  if (problems.length === 0) return null;
  return { outcome: 'failed', reason: failedCheck(job, problems), usage };
}

/**
 * The agent's server tools, and a line for its context about `web_fetch`. `web_search` stays open
 * (it is how research finds the documentation); `web_fetch` may reach only the documentation links'
 * hosts plus the run's configured domains (`buildWebFetchDomains`), and is not offered without any.
 */
function webTools(
  agent: AgentDefinition,
  limits: AgentLimits,
  job: Pick<StageJob, 'docsUrls' | 'webFetchAllowedDomains'>,
): { serverTools: ServerTools | null; note: string } {
  const search = agent.tools.includes('web_search');
  const wantsFetch = agent.tools.includes('web_fetch');
  const allowedDomains = wantsFetch
    ? buildWebFetchDomains({ docsUrls: job.docsUrls, allowedDomains: job.webFetchAllowedDomains })
    : [];
  const fetch = allowedDomains.length > 0;
  const note = wantsFetch ? webFetchNote(allowedDomains) : '';
  if (!search && !fetch) return { serverTools: null, note };
  return {
    serverTools: {
      ...(search ? { webSearch: { maxUses: limits.webSearchMaxUses } } : {}),
      ...(fetch ? { webFetch: { maxUses: limits.webFetchMaxUses, allowedDomains } } : {}),
    },
    note,
  };
}

/** What the agent's context says about `web_fetch`: where it may read, or that it is off. */
function webFetchNote(allowedDomains: readonly string[]): string {
  if (allowedDomains.length === 0) {
    return '\n\nweb_fetch is not available for this request (no documentation link with a public host): use web_search.';
  }
  return `\n\nweb_fetch may read only these hosts and their subdomains: ${allowedDomains.join(', ')}.`;
}

/**
 * Runs the stage's verifier on the connector's files as committed at `sha`, read whole in one
 * request (`readTree`). Files the verifiers cannot judge as text (links, binaries, over 1 MiB) are
 * left out, as a workspace's reads refuse them.
 */
async function verifyAt(
  github: GitHubPort,
  job: Pick<StageJob, 'source' | 'stage' | 'tables' | 'completedTables' | 'layout'>,
  sha: string,
) {
  const tree = await github.readTree({ sha });
  const files = await collectConnectorFiles({
    source: job.source,
    layout: job.layout,
    list: async (prefix) => [...tree.keys()].filter((path) => path.startsWith(prefix)),
    read: async (path) => textOf(tree.get(path)),
  });
  return verifyStage(job.stage, {
    source: job.source,
    layout: job.layout,
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
