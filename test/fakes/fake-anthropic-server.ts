import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countPromptTokens, createPromptCache, type PromptCacheOptions } from './fake-prompt-cache.js';

/** One request the fake received: its path, headers and parsed JSON body. */
export interface FakeAnthropicRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A content block of a scripted reply (`text`, `tool_use`, `server_tool_use`, `web_search_tool_result`, …). */
export type FakeBlock = { type: string } & Record<string, unknown>;

/** A scripted assistant reply; `id`, `model`, `type`, `role` and the rest of `usage` are filled in. */
export interface FakeReply {
  content: FakeBlock[];
  stop_reason: string;
  usage?: Record<string, unknown>;
  /** Defaults to the requested model. */
  model?: string;
  /** Wait this long before answering (for abort tests); cut short by `close()` or the client hanging up. */
  delayMs?: number;
  /** Answer only once this settles (cut short like `delayMs`): a test decides when the turn ends. */
  until?: Promise<unknown>;
}

/** A scripted error, answered in the Anthropic error format unless `body` is given. */
export interface FakeError {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  message?: string;
}

/** One scripted turn: a reply, an error, or a function of the request returning either. */
export type FakeTurn = FakeReply | FakeError | ((request: FakeAnthropicRequest) => FakeReply | FakeError);

/** A request the fake or the client got wrong. */
export interface FakeViolation {
  path: string;
  problems: string[];
}

/** A local stand-in for `POST /v1/messages`, answering from a queue of scripted turns. */
export interface FakeAnthropic {
  /** Base URL to pass to the SDK as `baseURL`. */
  url: string;
  /** Every request received, in order (retries included). */
  requests: FakeAnthropicRequest[];
  /** Requests that found no scripted turn; each was answered 500 with `x-should-retry: false`. */
  unexpected: FakeAnthropicRequest[];
  /** Requests whose client closed the connection before the (delayed) reply was sent. */
  aborted: FakeAnthropicRequest[];
  violations: FakeViolation[];
  script(...turns: FakeTurn[]): void;
  /** Scripted turns not used yet. */
  remaining(): number;
  /** Throws if any request was malformed or unscripted. */
  assertNoViolations(): void;
  close(): Promise<void>;
}

/** `error.type` by status; any other status is an `api_error`. */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

const DEFAULT_USAGE = {
  input_tokens: 10,
  output_tokens: 5,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation: null,
  server_tool_use: null,
  service_tier: 'standard',
};

/** How the fake is started. */
export interface FakeAnthropicOptions {
  turns?: FakeTurn[];
  /**
   * Model the prompt cache (`fake-prompt-cache.ts`): a reply's `input_tokens`,
   * `cache_creation_input_tokens` and `cache_read_input_tokens` are then computed from the request,
   * whatever the scripted turn says (its `output_tokens` is kept). Off by default: scripted usage as is.
   */
  cache?: PromptCacheOptions | true;
  /**
   * The model's context window in tokens, as the fake counts them: a longer prompt is answered 400
   * `prompt is too long: N tokens > W maximum`, and a prompt plus `max_tokens` over it 400
   * `input length and max_tokens exceed context limit`, as the API does. No limit by default.
   */
  contextWindow?: number;
}

/** Starts the fake on 127.0.0.1 at an ephemeral port. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const cache =
    options.cache === undefined ? null : createPromptCache(options.cache === true ? {} : options.cache);
  const queue: FakeTurn[] = [...(options.turns ?? [])];
  const requests: FakeAnthropicRequest[] = [];
  const unexpected: FakeAnthropicRequest[] = [];
  const aborted: FakeAnthropicRequest[] = [];
  const violations: FakeViolation[] = [];
  const waits = new Set<() => void>();
  let replies = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const raw = await readBody(req);
    const request: FakeAnthropicRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: {},
    };
    requests.push(request);
    try {
      request.body = JSON.parse(raw || '{}');
    } catch {
      violations.push({ path, problems: ['request body is not JSON'] });
    }
    if (request.method !== 'POST' || path !== '/v1/messages') {
      violations.push({ path, problems: [`unknown route ${request.method} ${path}`] });
      return sendError(res, { status: 404, message: `The fake serves only POST /v1/messages, not ${path}` });
    }
    const problems = checkRequest(request);
    if (problems.length > 0) violations.push({ path, problems });
    const tooLong = overWindow(request.body, options.contextWindow);
    if (tooLong !== null) return sendError(res, { status: 400, message: tooLong });
    const next = queue.shift();
    if (next === undefined) {
      unexpected.push(request);
      return sendError(res, {
        status: 500,
        headers: { 'x-should-retry': 'false' },
        message: 'fake-anthropic: no scripted turn left for this request',
      });
    }
    const turn = typeof next === 'function' ? next(request) : next;
    if ('status' in turn) return sendError(res, turn);
    const cached = cache?.use(request.body) ?? {};
    if (typeof cached === 'string') return sendError(res, { status: 400, message: cached });
    if (turn.delayMs !== undefined || turn.until !== undefined) {
      await delay(turn.delayMs ?? 2_147_483_647, waits, res, turn.until);
    }
    if (res.destroyed || req.socket.destroyed) {
      aborted.push(request);
      return;
    }
    replies += 1;
    const model = turn.model ?? (typeof request.body.model === 'string' ? request.body.model : 'unknown');
    sendJson(res, 200, {
      id: `msg_fake_${replies}`,
      type: 'message',
      role: 'assistant',
      model,
      content: turn.content,
      stop_reason: turn.stop_reason,
      stop_sequence: null,
      usage: { ...DEFAULT_USAGE, ...turn.usage, ...cached },
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push({ path: req.url ?? '/', problems: [`fake crashed: ${String(error)}`] });
      if (!res.headersSent) sendError(res, { status: 500, message: 'fake-anthropic crashed' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unexpected,
    aborted,
    violations,
    script: (...turns) => {
      queue.push(...turns);
    },
    remaining: () => queue.length,
    assertNoViolations: () => {
      const found = [
        ...violations.map((v) => `${v.path}: ${v.problems.join('; ')}`),
        ...unexpected.map((r) => `${r.path}: unscripted request`),
      ];
      if (found.length > 0) throw new Error(`fake-anthropic saw problems:\n${found.join('\n')}`);
    },
    close: async () => {
      for (const finish of [...waits]) finish();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The API's 400 message when `body` does not fit `window`, else null. */
function overWindow(body: Record<string, unknown>, window: number | undefined): string | null {
  if (window === undefined) return null;
  const tokens = countPromptTokens(body);
  if (tokens > window) return `prompt is too long: ${tokens} tokens > ${window} maximum`;
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 0;
  if (tokens + maxTokens > window) {
    return `input length and \`max_tokens\` exceed context limit: ${tokens} + ${maxTokens} > ${window}, decrease input length or \`max_tokens\` and try again`;
  }
  return null;
}

/** Light checks of a Messages request: required fields and tool_result ↔ tool_use pairing. */
function checkRequest(request: FakeAnthropicRequest): string[] {
  const problems: string[] = [];
  const { body, headers } = request;
  if (!headers.authorization && !headers['x-api-key']) problems.push('no authorization header');
  if (!headers['anthropic-version']) problems.push('no anthropic-version header');
  if (typeof body.model !== 'string' || body.model === '') problems.push('model is not a non-empty string');
  if (typeof body.max_tokens !== 'number') problems.push('max_tokens is not a number');
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    problems.push('messages is not a non-empty array');
    return problems;
  }
  messages.forEach((message: unknown, index) => {
    const previous: unknown = index > 0 ? messages[index - 1] : undefined;
    const known = new Set(blocksOf(previous, 'assistant', 'tool_use').map((block) => block.id));
    for (const result of blocksOf(message, 'user', 'tool_result')) {
      if (!known.has(result.tool_use_id)) {
        problems.push(`messages[${index}] tool_result ${String(result.tool_use_id)} answers no tool_use`);
      }
    }
  });
  return problems;
}

/** The blocks of `type` in a message with `role`; none when the message is not one. */
function blocksOf(message: unknown, role: string, type: string): Array<Record<string, unknown>> {
  if (typeof message !== 'object' || message === null) return [];
  const { role: actual, content } = message as { role?: unknown; content?: unknown };
  if (actual !== role || !Array.isArray(content)) return [];
  return content.filter(
    (block): block is Record<string, unknown> =>
      typeof block === 'object' && block !== null && (block as { type?: unknown }).type === type,
  );
}

function sendError(res: ServerResponse, error: FakeError): void {
  const type = ERROR_TYPES[error.status] ?? 'api_error';
  const body = error.body ?? {
    type: 'error',
    error: { type, message: error.message ?? `fake-anthropic scripted ${error.status}` },
  };
  sendJson(res, error.status, body, error.headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': `req_fake_${Date.now()}`,
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Waits `ms` or until `until` settles; each entry of `pending` ends the wait early (`close()` calls
 * them all), and so does the client closing the connection.
 */
function delay(
  ms: number,
  pending: Set<() => void>,
  res: ServerResponse,
  until?: Promise<unknown>,
): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      pending.delete(finish);
      res.off('close', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    pending.add(finish);
    res.once('close', finish);
    until?.then(finish, finish);
  });
}
