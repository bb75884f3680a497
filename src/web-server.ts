import { createServer, type Server } from 'node:http';
import type { Probot } from 'probot';
import type { Logger } from './logging.js';
import type { OperatorRoutes } from './observability/operator-routes.js';
import { createSignatureGate } from './webhook-signature-gate.js';

/**
 * The bot's HTTP server: the operator endpoints (`/healthz`, `/metrics`, the dashboard) in every
 * role, and Probot's webhook middleware (it verifies signatures) when `probot` is given (the `web`
 * and `all` roles); 404 elsewhere. A delivery with a missing or bad signature is answered by the
 * signature gate before the middleware sees it: one rate-limited warn line, not Probot's errors.
 */
export async function startWebServer(params: {
  probot: Probot | null;
  path: string;
  host: string;
  port: number;
  log: Logger;
  operator: OperatorRoutes;
}): Promise<Server> {
  const middleware =
    params.probot === null
      ? null
      : await params.probot.getNodeMiddleware({ path: params.path, log: params.log });
  const webhooks = params.probot?.webhooks ?? null;
  const gate =
    webhooks === null
      ? null
      : createSignatureGate({
          path: params.path,
          verify: (payload, signature) => webhooks.verify(payload, signature),
          log: params.log,
        });
  const server = createServer((request, response) => {
    params
      .operator(request, response)
      .then(async (handled) => handled || (gate !== null && (await gate(request, response))))
      .then(async (handled) => handled || (middleware !== null && (await middleware(request, response))))
      .then((handled) => {
        if (handled) return;
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'Not found' }));
      })
      .catch((err: unknown) => {
        params.log.error({ err, path: request.url?.split('?')[0] }, 'HTTP request failed');
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(params.port, params.host, () => resolve());
  });
  return server;
}
