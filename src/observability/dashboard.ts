import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Logger } from '../logging.js';
import { type BasicCredentials, isAuthorized } from './basic-auth.js';

/** Where the BullMQ dashboard is served. */
export const DASHBOARD_PATH = '/admin/queues';

/** A plain Node request handler. */
export type NodeHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** The express app bull-board builds, called as a handler with a fall-through callback. */
type ExpressApp = (request: IncomingMessage, response: ServerResponse, next: (err?: unknown) => void) => void;

const REALM = 'Basic realm="lakeflow-connector-bot dashboard", charset="UTF-8"';

/**
 * The bull-board UI for `queues` behind HTTP basic auth, as a handler for requests under
 * `DASHBOARD_PATH` (the caller routes them here). It strips the mount path the way express would,
 * so it runs inside the bot's own HTTP server, not on a second port.
 */
export function createDashboard(params: {
  queues: readonly Queue[];
  credentials: BasicCredentials;
  log: Logger;
}): NodeHandler {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: params.queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
  const app = serverAdapter.getRouter() as ExpressApp;
  return function serveDashboard(request, response) {
    if (!isAuthorized(request.headers.authorization, params.credentials)) {
      response.writeHead(401, { 'www-authenticate': REALM, 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'Authentication required' }));
      return;
    }
    if (isCrossSiteWrite(request)) {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'Cross-site requests may not change queues' }));
      return;
    }
    request.url = (request.url ?? '/').slice(DASHBOARD_PATH.length) || '/';
    if (request.url.startsWith('?')) request.url = `/${request.url}`;
    app(request, response, (err) => {
      if (err !== undefined) params.log.error({ err }, 'Dashboard request failed');
      if (!response.headersSent) {
        response.writeHead(err === undefined ? 404 : 500, { 'content-type': 'application/json' });
      }
      response.end(JSON.stringify({ error: err === undefined ? 'Not found' : 'Internal error' }));
    });
  };
}

/**
 * A browser resends basic-auth credentials on requests other sites trigger, so a write (retry,
 * clean, obliterate, add) is refused when the browser says it came from another site.
 */
function isCrossSiteWrite(request: IncomingMessage): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false;
  const site = request.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

/** True for a path the dashboard serves: `DASHBOARD_PATH` itself or anything under it. */
export function isDashboardPath(pathname: string): boolean {
  return pathname === DASHBOARD_PATH || pathname.startsWith(`${DASHBOARD_PATH}/`);
}
