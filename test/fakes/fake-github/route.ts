import type { IncomingHttpHeaders } from 'node:http';
import type { CommentRecord, DeliveryRecord, DispatchRecord, IssueRecord, RepoState } from './state.js';
import type { ViewContext } from './views.js';

/** A parsed request as a route handler sees it. */
export interface RouteRequest {
  url: URL;
  /** Decoded path parameters. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (already checked against the operation's schema), if any. */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The repository named by `{owner}/{repo}`; the server answers 404 before the handler when it is unknown. */
  repo: RepoState | undefined;
}

/** What a handler answers. `notImplemented` turns into a 501 plus a violation. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (artifact zips). */
  raw?: { data: Buffer; contentType: string };
  /** Set when the request is valid for GitHub but asks for something the fake does not model. */
  notImplemented?: string;
  /** Sent as is, but also recorded as a violation (GraphQL operations the fake does not know). */
  violation?: string;
}

/** A write made with a person's token, which GitHub delivers to the App. */
export type PersonWrite =
  | { kind: 'issue_opened'; repo: RepoState; issue: IssueRecord }
  | { kind: 'comment_created'; repo: RepoState; issue: IssueRecord; comment: CommentRecord };

/** Hooks a test can set on the fake. */
export interface FakeHooks {
  /** Called (and awaited) before a workflow dispatch is answered. */
  onDispatch?: (dispatch: DispatchRecord) => void | Promise<void>;
  /** Sends a recorded delivery again (same guid), as `POST /app/hook/deliveries/{id}/attempts` asks. */
  redeliver?: (delivery: DeliveryRecord) => Promise<void>;
  /**
   * Told of each write a person's token made (not the App's): GitHub delivers it to the App as a
   * webhook when the App is installed on the repository.
   */
  personWrote?: (write: PersonWrite) => void;
}

export interface RouteContext extends ViewContext {
  hooks: FakeHooks;
}

/** One operation the fake serves, keyed by the description's path template. */
export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The OpenAPI path template, e.g. `/repos/{owner}/{repo}/pulls/{pull_number}`. */
  path: string;
  /** Query parameters the handler honours; other valid ones answer 501 so nothing is silently ignored. */
  query?: string[];
  /** False for endpoints outside the REST description (GraphQL, artifact downloads). */
  inSpec?: false;
  /** True when no `authorization` header is needed (signed download URLs). */
  public?: true;
  handle(request: RouteRequest, context: RouteContext): RouteResult | Promise<RouteResult>;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): RouteResult {
  return headers === undefined ? { status, body } : { status, body, headers };
}

/** GitHub's `basic-error`. */
export function fail(status: number, message: string): RouteResult {
  return { status, body: { message, documentation_url: 'https://docs.github.com/rest' } };
}

/** GitHub's `validation-error` (422). */
export function invalid(message: string, code = 'invalid'): RouteResult {
  return {
    status: 422,
    body: { message, documentation_url: 'https://docs.github.com/rest', errors: [{ code, message }] },
  };
}

export function notFound(): RouteResult {
  return fail(404, 'Not Found');
}

export function notImplemented(message: string): RouteResult {
  return { status: 501, notImplemented: message };
}

/** The repository the server resolved; handlers on `/repos/{owner}/{repo}/…` always have one. */
export function repoOf(request: RouteRequest): RepoState {
  if (request.repo === undefined) throw new Error(`route ${request.url.pathname} has no repository`);
  return request.repo;
}

/** The JSON body as the shape the operation's schema already guaranteed. */
export function bodyOf<T>(request: RouteRequest): T {
  return (request.body ?? {}) as T;
}

/** One page of `items` by `per_page` (default 30, max 100) and `page`, with GitHub's `link` header. */
export function paginate<T>(
  request: RouteRequest,
  items: T[],
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(request.query.get('per_page') ?? 30)));
  const page = Math.max(1, Number(request.query.get('page') ?? 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const url = new URL(request.url);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return `<${url.href}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev'), link(1, 'first')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
  ];
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return { page: slice, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}
