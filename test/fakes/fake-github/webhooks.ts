import { createHmac, randomUUID } from 'node:crypto';

/** A signed delivery as GitHub sends it: the exact body, its HMAC, event name and delivery id. */
export async function deliverWebhook(params: {
  url: string;
  secret: string;
  name: string;
  payload: unknown;
  id?: string;
  timeoutMs?: number;
}): Promise<number> {
  const body = JSON.stringify(params.payload);
  const response = await fetch(params.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/fake',
      'x-github-event': params.name,
      'x-github-delivery': params.id ?? randomUUID(),
      'x-github-hook-id': '1',
      'x-hub-signature-256': signWebhook(params.secret, body),
    },
    body,
    signal: AbortSignal.timeout(params.timeoutMs ?? 10_000),
  });
  await response.arrayBuffer();
  return response.status;
}

/** `sha256=<hex HMAC of body>`, the `x-hub-signature-256` header value. */
export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
