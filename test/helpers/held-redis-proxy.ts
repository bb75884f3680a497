import type { AddressInfo } from 'node:net';
import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of Redis that can hold what clients send: while held, their bytes are kept
 * (and readable as text) instead of reaching Redis, so a test sees which commands a client sends
 * before it has any answer. Answers from Redis always pass.
 */
export interface HeldRedisProxy {
  /** `redis://127.0.0.1:<port>` of the proxy. */
  readonly url: string;
  /** From now on, keeps what clients send. */
  hold(): void;
  /** Sends what was kept, in order, and stops holding. */
  release(): void;
  /** What clients sent while held, as text. */
  heldText(): string;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port in front of the Redis at `target`. */
export async function startHeldRedisProxy(target: URL): Promise<HeldRedisProxy> {
  let holding = false;
  const held: Array<{ upstream: Socket; chunk: Buffer }> = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 6379) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => {
      if (holding) held.push({ upstream, chunk });
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const { upstream, chunk } of held.splice(0)) upstream.write(chunk);
    },
    heldText: () => held.map(({ chunk }) => chunk.toString('utf8')).join(''),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
