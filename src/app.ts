import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Probot, ProbotOctokit } from 'probot';
import { createActionsCi } from './adapters/actions/actions-ci.js';
import { createAnthropicModel } from './adapters/anthropic/anthropic-model.js';
import { createMissingKeyModel } from './adapters/anthropic/missing-key-model.js';
import { resolveBotLogin } from './adapters/github/bot-identity.js';
import { createCachedRepoAccess } from './adapters/github/cached-repo-access.js';
import { cachedRepoConfigLoader } from './adapters/github/cached-repo-config.js';
import { createHookDeliveries } from './adapters/github/hook-deliveries.js';
import { createKeyedSerializer } from './adapters/github/keyed-serializer.js';
import { createKnownIds } from './adapters/github/known-ids.js';
import { createOctokitGitHub } from './adapters/github/octokit-github.js';
import { createTreeCache } from './adapters/github/tree-cache.js';
import { startWebhookProxy } from './adapters/webhook-proxy/start-webhook-proxy.js';
import { createAgentSelfReviewer } from './agent-runtime/agent-self-reviewer.js';
import { createAgentStageRunner } from './agent-runtime/agent-stage-runner.js';
import { readEnv } from './config/env.js';
import { loadAgents } from './config/load-agents.js';
import { loadRepoConfig } from './config/load-repo-config.js';
import { operatorLimitsOf } from './config/operator-limits-env.js';
import { toRunSettings } from './config/repo-config.js';
import { clampToOperatorLimits } from './domain/pipeline/operator-limits.js';
import { registerHandlers } from './handlers/register-handlers.js';
import { createLogger, type Logger } from './logging.js';
import { createOperatorEndpoints } from './observability/operator-endpoints.js';
import { openStorage } from './open-storage.js';
import { systemClock } from './ports/clock.js';
import { startWebServer } from './web-server.js';
import { startRedeliverySweeps } from './workers/redelivery-sweeps.js';
import type { RepoRef, WorkerDeps } from './workers/worker-deps.js';

/** A started bot process. */
export interface App {
  log: Logger;
  /** The HTTP server's port: operator endpoints in every role, webhooks in `web`/`all`. */
  port: number | null;
  /** Stops the server, stops taking jobs, waits for running ones, closes connections. */
  close(): Promise<void>;
}

/** Ports the caller may replace (tests, the local CLI); the rest are built here from the environment. */
export interface PortOverrides {
  ci?: WorkerDeps['ci'];
  clock?: WorkerDeps['clock'];
  /** Builds the stage runner from the app's GitHub port factory (the agent runtime, or a scripted one in tests). */
  stages?: (github: WorkerDeps['github']) => WorkerDeps['stages'];
  /** Builds the self-reviewer (the agent runtime, or a scripted one in tests). */
  selfReviewer?: (github: WorkerDeps['github']) => WorkerDeps['selfReviewer'];
}

/**
 * The composition root: reads the environment, builds every client once and starts the parts
 * `ROLE` asks for (the webhook server, the workers, or both). Nothing below this file constructs a client.
 */
export async function startApp(
  options: {
    env?: NodeJS.ProcessEnv;
    ports?: PortOverrides;
    log?: Logger;
    /** The Octokit class (tests pass one with retries off); production keeps Probot's retry and throttling. */
    Octokit?: typeof ProbotOctokit;
  } = {},
): Promise<App> {
  const env = readEnv(options.env);
  const log = options.log ?? createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  const probot = new Probot({
    appId: env.APP_ID,
    privateKey: env.PRIVATE_KEY,
    secret: env.WEBHOOK_SECRET,
    log: log.child({ component: 'probot' }),
    Octokit: options.Octokit ?? ProbotOctokit,
    ...(env.GITHUB_API_URL === undefined ? {} : { baseUrl: env.GITHUB_API_URL }),
  });
  const botLogin = await resolveBotLogin(probot, env.GITHUB_API_URL);
  const agentsDir = env.AGENTS_DIR ?? fileURLToPath(new URL('../agents', import.meta.url));
  const agents = await loadAgents(agentsDir, { allowEmpty: true });
  if (agents.size === 0)
    log.warn({ agentsDir }, 'No agent files: every stage will fail until agents/*.md exist');
  const storage = await openStorage(env, options.env ?? process.env, log);
  const { jobs } = storage;
  const operator = createOperatorEndpoints({ env, log });
  const metrics = operator.metrics;
  const clock = options.ports?.clock ?? systemClock;
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
  const deps: WorkerDeps = {
    ...storage.deps,
    github,
    ci:
      options.ports?.ci ??
      ((repo) =>
        createActionsCi({
          octokit: () => probot.auth(repo.installationId),
          owner: repo.owner,
          repo: repo.repo,
          workflowFile: async () => (await loadConfig(github(repo))).workflow,
          log: log.child({ component: 'actions' }),
        })),
    ciPollIntervalSeconds: env.CI_POLL_INTERVAL_SECONDS,
    stages:
      options.ports?.stages?.(github) ?? createAgentStageRunner({ ...runtime, prices: env.MODEL_PRICES }),
    selfReviewer:
      options.ports?.selfReviewer?.(github) ??
      createAgentSelfReviewer({ ...runtime, prices: env.MODEL_PRICES }),
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
  const workers = env.ROLE === 'web' ? null : await storage.startWorkers(deps);
  if (env.ROLE !== 'worker') {
    await probot.load((app) =>
      registerHandlers(app, {
        jobs,
        allowReply: storage.allowReply,
        log,
        metrics,
      }),
    );
  }
  const server = await startWebServer({
    probot: env.ROLE === 'worker' ? null : probot,
    path: env.WEBHOOK_PATH,
    host: env.HOST,
    port: env.PORT,
    log,
    operator: operator.routes,
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ role: env.ROLE, port, botLogin, storage: storage.kind }, 'lakeflow-connector-bot started');
  /** Stops what the app started, in order: the web server, the workers, then the connections. */
  const closeServices = async () => {
    await new Promise((resolve) => server.close(resolve));
    await workers?.close();
    await operator.close();
    await storage.close();
  };
  const proxy =
    env.ROLE === 'worker' || env.WEBHOOK_PROXY_URL === undefined
      ? null
      : await startWebhookProxy({
          source: env.WEBHOOK_PROXY_URL,
          target: `http://127.0.0.1:${port}${env.WEBHOOK_PATH}`,
          log,
        }).catch(async (error: unknown) => {
          await closeServices();
          throw error;
        });
  const deliveries = createHookDeliveries(() => probot.auth());
  const lossWatch =
    env.ROLE === 'worker'
      ? null
      : storage.startWatch({
          deliveries,
          clock,
          log: log.child({ component: 'redis-loss' }),
          intervalSeconds: env.REDIS_LOSS_CHECK_SECONDS,
        });
  const redelivery =
    env.ROLE === 'worker'
      ? null
      : startRedeliverySweeps({
          deliveries,
          clock,
          log: log.child({ component: 'redelivery' }),
          intervalMinutes: env.REDELIVERY_INTERVAL_MINUTES,
        });
  return {
    log,
    port,
    async close() {
      await redelivery?.stop();
      await lossWatch?.stop();
      await proxy?.close();
      await closeServices();
    },
  };
}
