import { checkQueues, countJobs, openOperatorQueues } from '../adapters/queue/queue-probes.js';
import { queueConnectionOptions } from '../adapters/queue/queues.js';
import { createRedisPinger } from '../adapters/redis/redis-pinger.js';
import type { AppEnv } from '../config/env.js';
import type { Logger } from '../logging.js';
import { createDashboard } from './dashboard.js';
import { createHealthCheck } from './health.js';
import { createOperatorRoutes, type OperatorRoutes } from './operator-routes.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './prometheus-metrics.js';

/** The operator side of a bot process: its metrics, the routes serving them, and what to close. */
export interface OperatorEndpointsHandle {
  metrics: PrometheusMetrics;
  routes: OperatorRoutes;
  close(): Promise<void>;
}

/**
 * Builds `/healthz`, `/metrics` and (with both `DASHBOARD_*` variables) the dashboard for one
 * process, in every role. They read the queues and Redis over connections of their own: the
 * queues at `KEY_PREFIX`, and a ping-only Redis connection.
 */
export function createOperatorEndpoints(params: {
  env: Pick<AppEnv, 'REDIS_URL' | 'KEY_PREFIX' | 'ROLE' | 'DASHBOARD_USER' | 'DASHBOARD_PASSWORD'>;
  log: Logger;
}): OperatorEndpointsHandle {
  const { env, log } = params;
  const { queues, close: closeQueues } = openOperatorQueues({
    connection: queueConnectionOptions(env.REDIS_URL),
    prefix: env.KEY_PREFIX,
    log,
  });
  const pinger = createRedisPinger(env.REDIS_URL);
  const metrics = createPrometheusMetrics({ jobCounts: () => countJobs(queues), log });
  const dashboard =
    env.DASHBOARD_USER === undefined || env.DASHBOARD_PASSWORD === undefined
      ? null
      : createDashboard({
          queues: Object.values(queues),
          credentials: { user: env.DASHBOARD_USER, password: env.DASHBOARD_PASSWORD },
          log,
        });
  const health = createHealthCheck({
    pingRedis: () => pinger.ping(),
    checkQueues: (timeoutMs) => checkQueues(queues, timeoutMs),
    role: env.ROLE,
  });
  return {
    metrics,
    routes: createOperatorRoutes({ health, metrics: () => metrics.render(), dashboard }, log),
    async close() {
      pinger.close();
      await closeQueues();
    },
  };
}
