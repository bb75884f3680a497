import { SmeeClient } from 'smee-client';
import { ConfigError } from '../../errors.js';
import type { Logger } from '../../logging.js';

/** A running webhook proxy; `close` disconnects it. */
export interface WebhookProxy {
  close(): Promise<void>;
}

/** How long the proxy may take to connect at boot before the boot fails. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Receives GitHub's webhooks through a smee.io channel (`WEBHOOK_PROXY_URL`, what Probot's setup
 * flow writes for an App made on a laptop) and posts each one, signature and headers kept, to the
 * bot's own webhook endpoint, where it is verified like any delivery. Uses `smee-client`, Probot's
 * own proxy, rather than a hand-made event-stream reader. A channel that does not answer fails the
 * boot with one line naming `WEBHOOK_PROXY_URL`.
 */
export async function startWebhookProxy(params: {
  source: string;
  target: string;
  log: Logger;
}): Promise<WebhookProxy> {
  const log = params.log.child({ component: 'webhook-proxy' });
  const client = new SmeeClient({
    source: params.source,
    target: params.target,
    maxConnectionTimeout: CONNECT_TIMEOUT_MS,
    logger: {
      info: (message: string) => log.debug({ detail: message }, 'Webhook proxy'),
      error: (error: unknown) => log.warn({ err: error }, 'Webhook proxy error'),
    },
  });
  try {
    await client.start();
  } catch (error) {
    await client.stop().catch(() => undefined);
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`WEBHOOK_PROXY_URL: could not connect to ${params.source} (${why}).`);
  }
  log.info({ source: params.source, target: params.target }, 'Receiving webhooks through the proxy');
  return { close: () => client.stop() };
}
