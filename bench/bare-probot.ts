import { createServer } from 'node:http';
import { Probot } from 'probot';

/**
 * The yardstick of the acknowledgement benchmark: a Probot app with one empty handler for the
 * events the bot receives, served as the bot serves its own (Probot's Node middleware on a plain
 * HTTP server). Reads `APP_ID`, `PRIVATE_KEY`, `WEBHOOK_SECRET` and `PORT`; `/healthz` answers 200.
 */
const env = process.env;
const probot = new Probot({
  appId: env.APP_ID ?? '1',
  privateKey: env.PRIVATE_KEY ?? '',
  secret: env.WEBHOOK_SECRET ?? '',
});
await probot.load((app) => {
  app.on(['issues.opened', 'issue_comment.created'], async () => undefined);
});
const middleware = await probot.getNodeMiddleware({ path: '/api/github/webhooks' });
createServer((request, response) => {
  if (request.url === '/healthz') {
    response.end('ok');
    return;
  }
  void middleware(request, response).then((handled) => {
    if (handled) return;
    response.writeHead(404);
    response.end();
  });
}).listen(Number(env.PORT ?? 3001), '127.0.0.1');
