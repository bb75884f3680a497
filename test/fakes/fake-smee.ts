import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A smee channel on loopback: what smee.io does for one channel, enough for `smee-client`. */
export interface FakeSmee {
  /** The channel URL to give as `WEBHOOK_PROXY_URL`. */
  readonly url: string;
  /** Clients listening now. */
  listeners(): number;
  /** Pushes one webhook (its headers and JSON body) to every listening client. */
  push(headers: Record<string, string>, body: unknown): void;
  close(): Promise<void>;
}

/**
 * Serves one channel as an event stream: a `ready` event on connect, then one `message` per pushed
 * webhook whose data is the headers with the body under `body`, as smee.io sends them.
 */
export async function startFakeSmee(): Promise<FakeSmee> {
  const clients = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/channel') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('event: ready\ndata: {}\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/channel`,
    listeners: () => clients.size,
    push(headers, body) {
      const data = JSON.stringify({ ...headers, body, timestamp: Date.now() });
      for (const client of clients) client.write(`data: ${data}\n\n`);
    },
    async close() {
      for (const client of clients) client.end();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
