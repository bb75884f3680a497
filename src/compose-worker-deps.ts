import { fileURLToPath } from 'node:url';
import type { Probot } from 'probot';
import { createActionsCi } from './adapters/actions/actions-ci.js';
import { createAnthropicModel } from './adapters/anthropic/anthropic-model.js';
import { createMissingKeyModel } from './adapters/anthropic/missing-key-model.js';
import { createCachedRepoAccess } from './adapters/github/cached-repo-access.js';
import { cachedRepoConfigLoader } from './adapters/github/cached-repo-config.js';
import { createKeyedSerializer } from './adapters/github/keyed-serializer.js';
import { createKnownIds } from './adapters/github/known-ids.js';
import { createOctokitGitHub } from './adapters/github/octokit-github.js';
import { createTreeCache } from './adapters/github/tree-cache.js';
import { createAgentSelfReviewer } from './agent-runtime/agent-self-reviewer.js';
import { createAgentStageRunner } from './agent-runtime/agent-stage-runner.js';
import type { AppEnv } from './config/env.js';
import { loadAgents } from './config/load-agents.js';
import { loadRepoConfig } from './config/load-repo-config.js';
import { operatorLimitsOf } from './config/operator-limits-env.js';
import { toRunSettings } from './config/repo-config.js';
import { clampToOperatorLimits } from './domain/pipeline/operator-limits.js';
import type { Logger } from './logging.js';
import type { Metrics } from './observability/metrics.js';
import type { AppStorage } from './ports/app-storage.js';
import type { Clock } from './ports/clock.js';
import type { RepoRef, WorkerDeps } from './workers/worker-deps.js';

/** Ports the caller may replace (tests, the local CLI); the rest are built from the environment. */
export interface PortOverrides {
  ci?: WorkerDeps['ci'];
  clock?: WorkerDeps['clock'];
  /** Builds the stage runner from the app's GitHub port factory (the agent runtime, or a scripted one in tests). */
  stages?: (github: WorkerDeps['github']) => WorkerDeps['stages'];
  /** Builds the self-reviewer (the agent runtime, or a scripted one in tests). */
  selfReviewer?: (github: WorkerDeps['github']) => WorkerDeps['selfReviewer'];
}

/**
 * What the workers run on: the GitHub port, the model, the agents, CI and the caches they share.
 * Built only in a process that runs workers (`ROLE` `all` or `worker`); `app.ts` imports this module
 * on demand, so a web-only process never loads the model SDK or the agent runtime.
 */
export async function composeWorkerDeps(params: {
  env: AppEnv;
  probot: Probot;
  botLogin: string;
  storage: AppStorage;
  log: Logger;
  metrics: Metrics;
  clock: Clock;
  ports?: PortOverrides;
}): Promise<WorkerDeps> {
  const { env, probot, botLogin, storage, log, metrics, clock } = params;
  const agentsDir = env.AGENTS_DIR ?? fileURLToPath(new URL('../agents', import.meta.url));
  const agents = await loadAgents(agentsDir, { allowEmpty: true });
  if (agents.size === 0)
    log.warn({ agentsDir }, 'No agent files: every stage will fail until agents/*.md exist');
  const serializer = createKeyedSerializer();
  const knownIds = createKnownIds();
  const trees = createTreeCache();
  const github = (repo: RepoRef) =>
    createOctokitGitHub({
      repo,
      getOctokit: () => probot.auth(repo.installationId),
      botLogin,
      clock,
      serializer,
      knownIds,
      trees,
    });
  const model =
    env.ANTHROPIC_API_KEY === undefined
      ? createMissingKeyModel()
      : createAnthropicModel({
          apiKey: env.ANTHROPIC_API_KEY,
          ...(env.ANTHROPIC_BASE_URL === undefined ? {} : { baseURL: env.ANTHROPIC_BASE_URL }),
        });
  if (env.ANTHROPIC_API_KEY === undefined)
    log.warn(
      'ANTHROPIC_API_KEY is not set: the bot answers and plans, but every phase fails until it is set (then restart and /retry)',
    );
  const limits = operatorLimitsOf(env);
  // One config read per repository and minute for every reader (settings, stages, CI, dashboard).
  const loadConfig = cachedRepoConfigLoader(loadRepoConfig);
  const runtime = { model, agents, github, clock, allowedModels: limits.allowedModels, loadConfig };
  const ports = params.ports;
  return {
    ...storage.deps,
    github,
    ci:
      ports?.ci ??
      ((repo) =>
        createActionsCi({
          octokit: () => probot.auth(repo.installationId),
          owner: repo.owner,
          repo: repo.repo,
          workflowFile: async () => (await loadConfig(github(repo))).workflow,
          log: log.child({ component: 'actions' }),
        })),
    ciPollIntervalSeconds: env.CI_POLL_INTERVAL_SECONDS,
    stages: ports?.stages?.(github) ?? createAgentStageRunner({ ...runtime, prices: env.MODEL_PRICES }),
    selfReviewer:
      ports?.selfReviewer?.(github) ?? createAgentSelfReviewer({ ...runtime, prices: env.MODEL_PRICES }),
    settings: async (port) => {
      const config = await loadConfig(port);
      return clampToOperatorLimits(toRunSettings(config), limits, config).settings;
    },
    access: createCachedRepoAccess({ github, loadConfig, log }),
    requireCommandPrefix: limits.requireCommandPrefix,
    clock,
    log,
    metrics,
    ...(env.DASHBOARD_ISSUE_DELAY_SECONDS === 0
      ? {}
      : {
          dashboard: {
            delayMs: env.DASHBOARD_ISSUE_DELAY_SECONDS * 1_000,
            enabled: async (port) => (await loadConfig(port)).dashboard,
          },
        }),
  };
}
