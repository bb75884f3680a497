import type { AddressInfo } from 'node:net';
import { Probot, ProbotOctokit } from 'probot';
import { resolveBotLogin } from './adapters/github/bot-identity.js';
import { createHookDeliveries } from './adapters/github/hook-deliveries.js';
import type { PortOverrides } from './compose-worker-deps.js';
import { readEnv } from './config/env.js';
import { registerHandlers } from './handlers/register-handlers.js';
import { createLogger, type Logger } from './logging.js';
import { createOperatorEndpoints } from './observability/operator-endpoints.js';
import { openStorage } from './open-storage.js';
import { systemClock } from './ports/clock.js';
import { startWebServer } from './web-server.js';
import { startRedeliverySweeps } from './workers/redelivery-sweeps.js';

export type { PortOverrides } from './compose-worker-deps.js';

/** A started bot process. */
export interface App {
  log: Logger;
  /** The HTTP server's port: operator endpoints in every role, webhooks in `web`/`all`. */
  port: number | null;
  /** Stops the server, stops taking jobs, waits for running ones, closes connections. */
  close(): Promise<void>;
}

/**
 * The composition root: reads the environment, builds every client once and starts the parts
 * `ROLE` asks for (the webhook server, the workers, or both). The workers' ports are composed in
 * `compose-worker-deps.ts`, loaded only when the role runs workers. Nothing else constructs a client.
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
  const storage = await openStorage(env, options.env ?? process.env, log);
  const { jobs } = storage;
  const operator = createOperatorEndpoints({ env, log });
  const metrics = operator.metrics;
  const clock = options.ports?.clock ?? systemClock;
  // The worker side (model SDK, agent runtime, CI) is loaded only where workers run: a web
  // process's heap stays small, and its garbage collections short.
  const startWorkers = async () => {
    const { composeWorkerDeps } = await import('./compose-worker-deps.js');
    const ports = options.ports === undefined ? {} : { ports: options.ports };
    const deps = await composeWorkerDeps({ env, probot, botLogin, storage, log, metrics, clock, ...ports });
    return storage.startWorkers(deps);
  };
  const workers =
    env.ROLE === 'web'
      ? null
      : await startWorkers().catch(async (error: unknown) => {
          // A bad agent file fails the boot: close what is open so the process can exit.
          await operator.close();
          await storage.close();
          throw error;
        });
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
      : await (await import('./adapters/webhook-proxy/start-webhook-proxy.js'))
          .startWebhookProxy({
            source: env.WEBHOOK_PROXY_URL,
            target: `http://127.0.0.1:${port}${env.WEBHOOK_PATH}`,
            log,
          })
          .catch(async (error: unknown) => {
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
