import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './logging.js';

/** GitHub caps webhook payloads at 25 MB; a longer body is refused unread (413). */
export const MAX_WEBHOOK_BODY_BYTES = 25 * 1024 * 1024;
/** At most one warn line per this many milliseconds for rejected deliveries, per process. */
export const REJECTED_DELIVERY_LOG_INTERVAL_MS = 60_000;

const JSON_CONTENT_TYPE = /^\s*(application\/json)\s*(?:;|$)/u;
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Answers a request itself (`true`) or leaves it to the next handler (`false`). */
export type RequestGate = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

/**
 * Checks the signature of a webhook delivery before Probot's middleware sees it, so that a missing
 * or bad signature costs one rate-limited `warn` line instead of Probot's two or three `error` lines
 * with stacks (anyone can send them). Such a delivery is answered 400 with the body Probot gives;
 * a body over {@link MAX_WEBHOOK_BODY_BYTES} is answered 413 without reading the rest.
 *
 * A delivery that verifies goes on to the middleware with its body already read (`request.body`,
 * which `@octokit/webhooks` takes as the payload and verifies again); anything the middleware
 * refuses without logging (another path or method, another content type, missing event or delivery
 * header) is passed through untouched. Handler errors are still logged by Probot as errors.
 */
export function createSignatureGate(params: {
  path: string;
  verify: (payload: string, signature: string) => Promise<boolean>;
  log: Logger;
  now?: () => number;
  intervalMs?: number;
  maxBodyBytes?: number;
}): RequestGate {
  const warn = rateLimitedWarn(
    params.log,
    params.intervalMs ?? REJECTED_DELIVERY_LOG_INTERVAL_MS,
    params.now ?? Date.now,
  );
  const webhookPath = trimTrailingSlashes(params.path);
  const maxBodyBytes = params.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES;
  return async (request, response) => {
    if (!isWebhookDelivery(request, webhookPath)) return false;
    const details = {
      event: String(request.headers['x-github-event']).slice(0, 100),
      deliveryId: String(request.headers['x-github-delivery']).slice(0, 100),
      remoteAddress: request.socket.remoteAddress,
    };
    const signature = request.headers['x-hub-signature-256'];
    if (typeof signature !== 'string') {
      warn({ ...details, reason: 'missing_signature' });
      request.resume();
      return answer(response, 400, 'Required headers missing: x-hub-signature-256');
    }
    const body = await readBody(request, maxBodyBytes);
    if (body === null) {
      warn({ ...details, reason: 'body_too_large' });
      return answer(response, 413, `Payload larger than ${maxBodyBytes} bytes`);
    }
    const payload = decoder.decode(body);
    if (!(await params.verify(payload, signature).catch(() => false))) {
      warn({ ...details, reason: 'bad_signature' });
      return answer(
        response,
        400,
        'Error: [@octokit/webhooks] signature does not match event payload and secret',
      );
    }
    (request as IncomingMessage & { body?: string }).body = payload;
    return false;
  };
}

/**
 * Logs the first rejected delivery of each interval at `warn` and counts the rest; the next line
 * printed says how many were left out since the previous one.
 */
export function rateLimitedWarn(log: Pick<Logger, 'warn'>, intervalMs: number, now: () => number) {
  let lastLineAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (details: Record<string, unknown>) => {
    const at = now();
    if (at - lastLineAt < intervalMs) {
      suppressed += 1;
      return;
    }
    log.warn(
      { ...details, suppressedSinceLastLine: suppressed, intervalSeconds: intervalMs / 1000 },
      'Webhook delivery rejected: missing or bad signature (at most one line per interval)',
    );
    lastLineAt = at;
    suppressed = 0;
  };
}

/** The requests Probot's middleware would verify: POST of JSON to the webhook path with GitHub's headers. */
function isWebhookDelivery(request: IncomingMessage, webhookPath: string): boolean {
  if (request.method !== 'POST') return false;
  let pathname: string;
  try {
    pathname = new URL(trimTrailingSlashes(request.url ?? ''), 'http://localhost').pathname;
  } catch {
    return false;
  }
  const contentType = request.headers['content-type'];
  return (
    pathname === webhookPath &&
    typeof contentType === 'string' &&
    JSON_CONTENT_TYPE.test(contentType) &&
    request.headers['x-github-event'] !== undefined &&
    request.headers['x-github-delivery'] !== undefined
  );
}

/** `@octokit/webhooks`' normalisation: trailing slashes dropped, `/` kept (a loop: the URL is the sender's). */
function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end -= 1;
  return end === 0 ? '/' : path.slice(0, end);
}

/** The whole body, or `null` once it passes `maxBytes` (the rest is drained, not kept). */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function answer(response: ServerResponse, status: number, error: string): true {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error }));
  return true;
}
