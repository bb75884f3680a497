import { createServer, type Server } from 'node:http';
import type { Probot } from 'probot';
import type { Logger } from './logging.js';

/** The HTTP server of the `web` role: Probot's webhook middleware (it verifies signatures), 404 elsewhere. */
export async function startWebServer(params: {
  probot: Probot;
  path: string;
  host: string;
  port: number;
  log: Logger;
}): Promise<Server> {
  const middleware = await params.probot.getNodeMiddleware({ path: params.path, log: params.log });
  const server = createServer((request, response) => {
    Promise.resolve(middleware(request, response))
      .then((handled) => {
        if (handled) return;
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'Not found' }));
      })
      .catch((err: unknown) => {
        params.log.error({ err }, 'Webhook request failed');
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
