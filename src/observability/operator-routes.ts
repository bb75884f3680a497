import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logging.js';
import { isDashboardPath, type NodeHandler } from './dashboard.js';
import type { HealthReport } from './health.js';

/** What the operator endpoints serve. */
export interface OperatorEndpoints {
  health: () => Promise<HealthReport>;
  metrics: () => Promise<{ contentType: string; body: string }>;
  /** The BullMQ dashboard, or `null` when no credentials are configured (its path is then a 404). */
  dashboard: NodeHandler | null;
}

/** Handles a request if it is for an operator endpoint; resolves `false` for any other path. */
export type OperatorRoutes = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

/**
 * `GET /healthz` (JSON, 200 or 503), `GET /metrics` (Prometheus text) and the dashboard under
 * `/admin/queues`. Health and metrics answer GET and HEAD only (405 otherwise).
 */
export function createOperatorRoutes(endpoints: OperatorEndpoints, log: Logger): OperatorRoutes {
  return async function routeOperatorRequest(request, response) {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/healthz' || pathname === '/metrics') {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        send(
          response,
          405,
          { 'content-type': 'application/json', allow: 'GET, HEAD' },
          '{"error":"Method not allowed"}',
        );
        return true;
      }
      if (pathname === '/healthz') {
        const report = await endpoints.health();
        if (report.status !== 'ok') log.warn({ health: report }, 'Health check degraded');
        send(
          response,
          report.status === 'ok' ? 200 : 503,
          { 'content-type': 'application/json', 'cache-control': 'no-store' },
          JSON.stringify(report),
        );
        return true;
      }
      const { contentType, body } = await endpoints.metrics();
      send(response, 200, { 'content-type': contentType, 'cache-control': 'no-store' }, body);
      return true;
    }
    if (endpoints.dashboard !== null && isDashboardPath(pathname)) {
      endpoints.dashboard(request, response);
      return true;
    }
    return false;
  };
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, headers);
  response.end(body);
}
