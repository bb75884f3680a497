import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { loadOpenApiSpec, type MatchedOperation } from './openapi-spec.js';
import { validateRequest, validateResponse } from './openapi-validator.js';
import { fail, type Route, type RouteContext, type RouteRequest, type RouteResult } from './route.js';

/** One request the fake received, with the status it answered. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** `METHOD /template` of the matched operation, when there was one. */
  operation?: string;
  /** For `POST /graphql`: the operation's first field (`createCommitOnBranch`, `minimizeComment`). */
  graphql?: string;
}

/** Something that makes a test untrustworthy: the bot or the fake strayed from GitHub's API. */
export interface Violation {
  kind: 'unknown-route' | 'not-implemented' | 'request' | 'response' | 'handler-error' | 'graphql';
  method: string;
  path: string;
  operation?: string;
  problems: string[];
}

interface Matched {
  route: Route | undefined;
  spec: MatchedOperation | undefined;
  params: Record<string, string>;
}

/** An error the fake answers instead of the real result: before the request is applied, or after. */
export interface Fault {
  /** `after`: the write happens, then the client sees the error (a 502 from a proxy, a lost reply). */
  when: 'before' | 'after';
  status: 500 | 502 | 503 | 429;
}

/** Decides, per request, whether it fails; `null` lets it through. */
export type FaultPlan = (request: {
  method: string;
  path: string;
  operation: string | undefined;
  /** For `POST /graphql`: the operation's first field, e.g. `createCommitOnBranch`. */
  graphql?: string;
}) => Fault | null;

/** The HTTP front of the fake: auth, routing by the OpenAPI description, validation and recording. */
export function createFakeServer(params: {
  routes: Route[];
  context: RouteContext;
  received: ReceivedRequest[];
  violations: Violation[];
  /** Read on every request, so a test can change it between requests. */
  faults?: () => FaultPlan | undefined;
  /** Milliseconds every request waits before it is handled (a slow GitHub); read per request. */
  latencyMs?: () => number;
}): Server {
  const byTemplate = new Map(params.routes.map((route) => [`${route.method} ${route.path}`, route]));
  const extras = params.routes.filter((route) => route.inSpec === false);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', params.context.base);
    const raw = await readBody(req);
    const latency = params.latencyMs?.() ?? 0;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const entry: ReceivedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      status: 0,
    };
    params.received.push(entry);
    const violate = (kind: Violation['kind'], problems: string[], operation?: string) => {
      params.violations.push({
        kind,
        method,
        path: url.pathname,
        ...(operation ? { operation } : {}),
        problems,
      });
    };
    const answer = (result: RouteResult) => {
      entry.status = result.status;
      send(res, result);
    };

    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        violate('request', ['request body is not JSON']);
        return answer(fakeError(500, 'request body is not JSON', []));
      }
    }
    entry.body = body;
    const graphql = graphqlFieldOf(url.pathname, body);
    if (graphql !== undefined) entry.graphql = graphql;
    const matched = await match(method, url.pathname);
    const template = matched.spec?.template ?? matched.route?.path;
    const operation = template === undefined ? undefined : `${method} ${template}`;
    if (operation !== undefined) entry.operation = operation;
    if (matched.route?.public !== true && !req.headers.authorization) {
      return answer(fail(401, 'Requires authentication'));
    }
    if (matched.route === undefined) {
      const why = matched.spec
        ? `${operation} is in the API description but not implemented by the fake`
        : `no GitHub operation matches ${method} ${url.pathname}`;
      violate(matched.spec ? 'not-implemented' : 'unknown-route', [why], operation);
      return answer(fakeError(501, why, []));
    }
    const spec = matched.spec ? await loadOpenApiSpec() : undefined;
    if (spec && matched.spec) {
      const problems = validateRequest(spec, matched.spec, {
        query: url.searchParams,
        body,
        hasBody: raw.length > 0,
      });
      if (problems.length > 0) {
        violate('request', problems, operation);
        return answer(fakeError(500, `request does not match ${operation}`, problems));
      }
    }
    const unsupported = [...url.searchParams.keys()].filter(
      (key) => !(matched.route?.query ?? []).includes(key),
    );
    const request: RouteRequest = {
      url,
      params: matched.params,
      query: url.searchParams,
      body,
      headers: req.headers,
      repo: undefined,
    };
    const call = { method, path: url.pathname, operation, ...(graphql === undefined ? {} : { graphql }) };
    const fault = params.faults?.()?.(call) ?? null;
    if (fault?.when === 'before') return answer(injected(fault));
    let result: RouteResult;
    if (unsupported.length > 0 && matched.route.inSpec !== false) {
      result = {
        status: 501,
        notImplemented: `query parameters ${unsupported.join(', ')} are not modelled by the fake`,
      };
    } else if (matched.params.owner !== undefined && matched.params.repo !== undefined) {
      request.repo = params.context.state.repo(matched.params.owner, matched.params.repo);
      result = request.repo === undefined ? fail(404, 'Not Found') : await run(matched.route, request);
    } else {
      result = await run(matched.route, request);
    }
    if (result.notImplemented !== undefined) {
      violate('not-implemented', [result.notImplemented], operation);
      return answer(fakeError(501, result.notImplemented, []));
    }
    if (result.violation !== undefined) {
      violate(matched.route.inSpec === false ? 'graphql' : 'handler-error', [result.violation], operation);
    }
    if (spec && matched.spec) {
      const problems = validateResponse(spec, matched.spec.operation, {
        status: result.status,
        body: result.body,
        isJson: result.body !== undefined,
      });
      if (problems.length > 0) {
        violate('response', problems, operation);
        return answer(fakeError(500, `the fake's response breaks ${operation}`, problems));
      }
    }
    answer(fault?.when === 'after' ? injected(fault) : result);
  }

  async function run(route: Route, request: RouteRequest): Promise<RouteResult> {
    try {
      return await route.handle(request, params.context);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      params.violations.push({
        kind: 'handler-error',
        method: route.method,
        path: request.url.pathname,
        problems: [message],
      });
      return fakeError(500, 'the fake crashed', [message]);
    }
  }

  async function match(method: string, pathname: string): Promise<Matched> {
    for (const route of extras) {
      const names: string[] = [];
      const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      const found = route.method === method ? new RegExp(`^${source}$`).exec(pathname) : null;
      if (found) {
        const params = Object.fromEntries(
          names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]),
        );
        return { route, spec: undefined, params };
      }
    }
    const spec = (await loadOpenApiSpec()).match(method, pathname);
    if (spec === undefined) return { route: undefined, spec, params: {} };
    return { route: byTemplate.get(`${method} ${spec.template}`), spec, params: spec.params };
  }

  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      params.violations.push({
        kind: 'handler-error',
        method: req.method ?? '',
        path: req.url ?? '',
        problems: [String(error)],
      });
      if (!res.headersSent) send(res, fakeError(500, 'the fake crashed', [String(error)]));
    });
  });
}

/** The first field of a GraphQL operation sent to `POST /graphql`, else `undefined`. */
function graphqlFieldOf(path: string, body: unknown): string | undefined {
  if (path !== '/graphql' || typeof body !== 'object' || body === null) return undefined;
  const query: unknown = Reflect.get(body, 'query');
  return typeof query === 'string' ? /^[^{]*\{\s*(\w+)/.exec(query)?.[1] : undefined;
}

/** GitHub's answer to an injected fault (a secondary rate limit for 429). */
function injected(fault: Fault): RouteResult {
  if (fault.status === 429) {
    return { ...fakeError(429, 'injected: secondary rate limit', []), headers: { 'retry-after': '1' } };
  }
  return fakeError(fault.status, `injected ${fault.when} the request was applied`, []);
}

function fakeError(status: number, message: string, problems: string[]): RouteResult {
  return {
    status,
    body: { message: `fake GitHub: ${message}`, problems, documentation_url: 'https://docs.github.com/rest' },
  };
}

function send(res: ServerResponse, result: RouteResult): void {
  const headers: Record<string, string> = { 'x-github-request-id': randomUUID(), ...result.headers };
  if (result.raw) {
    res.writeHead(result.status, {
      ...headers,
      'content-type': result.raw.contentType,
      'content-length': String(result.raw.data.length),
    });
    res.end(result.raw.data);
    return;
  }
  if (result.body === undefined) {
    res.writeHead(result.status, headers);
    res.end();
    return;
  }
  const data = Buffer.from(JSON.stringify(result.body));
  res.writeHead(result.status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(data.length),
  });
  res.end(data);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
