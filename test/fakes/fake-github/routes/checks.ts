import {
  bodyOf,
  fail,
  invalid,
  json,
  notFound,
  notImplemented,
  paginate,
  type Route,
  type RouteResult,
  repoOf,
} from '../route.js';
import type { CheckRunRecord, RepoState } from '../state.js';
import { nodeId, renderApp, repoApiUrl, type ViewContext } from '../views.js';

interface CheckRunBody {
  name?: string;
  head_sha?: string;
  status?: 'queued' | 'in_progress' | 'completed';
  conclusion?: string;
  details_url?: string;
  external_id?: string;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: unknown[]; images?: unknown[] };
  actions?: unknown[];
}

/** Check runs: create, update and list by commit. */
export const checkRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/check-runs',
    handle(request, context) {
      const repo = repoOf(request);
      const body = bodyOf<CheckRunBody & { name: string; head_sha: string }>(request);
      if (!repo.record.git.commits.has(body.head_sha))
        return invalid(`No commit found for SHA: ${body.head_sha}`);
      const run: CheckRunRecord = {
        id: context.state.id(),
        name: body.name,
        headSha: body.head_sha,
        status: 'queued',
        conclusion: null,
        title: null,
        summary: null,
        text: null,
        detailsUrl: null,
        externalId: null,
        startedAt: context.now(),
        completedAt: null,
      };
      const problem = apply(context, run, body);
      if (problem !== undefined) return problem;
      repo.checkRuns.push(run);
      return json(201, renderCheckRun(context, repo, run));
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/check-runs/{check_run_id}',
    handle(request, context) {
      const repo = repoOf(request);
      const run = repo.checkRuns.find((item) => item.id === Number(request.params.check_run_id));
      if (run === undefined) return notFound();
      const problem = apply(context, run, bodyOf<CheckRunBody>(request));
      return problem ?? json(200, renderCheckRun(context, repo, run));
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}/check-runs',
    query: ['check_name', 'status', 'filter', 'per_page', 'page'],
    handle(request, context) {
      const repo = repoOf(request);
      const sha = repo.record.git.resolve(request.params.ref ?? '');
      if (sha === undefined) return fail(422, `No commit found for SHA: ${request.params.ref}`);
      const name = request.query.get('check_name');
      const status = request.query.get('status');
      const matching = repo.checkRuns
        .filter(
          (run) =>
            run.headSha === sha &&
            (name === null || run.name === name) &&
            (status === null || run.status === status),
        )
        .reverse();
      const runs =
        request.query.get('filter') === 'all'
          ? matching
          : matching.filter((run, i) => matching.findIndex((other) => other.name === run.name) === i);
      const { page, headers } = paginate(request, runs);
      return json(
        200,
        { total_count: runs.length, check_runs: page.map((run) => renderCheckRun(context, repo, run)) },
        headers,
      );
    },
  },
];

function apply(context: ViewContext, run: CheckRunRecord, body: CheckRunBody): RouteResult | undefined {
  if (
    (body.output?.annotations?.length ?? 0) > 0 ||
    (body.output?.images?.length ?? 0) > 0 ||
    (body.actions?.length ?? 0) > 0
  ) {
    return notImplemented('check run annotations, images and actions');
  }
  if (body.conclusion === undefined && (body.status === 'completed' || body.completed_at !== undefined)) {
    return invalid('conclusion is required when status is completed');
  }
  run.name = body.name ?? run.name;
  run.status = body.conclusion !== undefined ? 'completed' : (body.status ?? run.status);
  run.conclusion = body.conclusion ?? (run.status === 'completed' ? run.conclusion : null);
  run.detailsUrl = body.details_url ?? run.detailsUrl;
  run.externalId = body.external_id ?? run.externalId;
  run.startedAt = body.started_at ?? run.startedAt;
  run.completedAt =
    run.status === 'completed' ? (body.completed_at ?? run.completedAt ?? context.now()) : null;
  run.title = body.output?.title ?? run.title;
  run.summary = body.output?.summary ?? run.summary;
  run.text = body.output?.text ?? run.text;
  return undefined;
}

/** A `check-run`. */
export function renderCheckRun(context: ViewContext, repo: RepoState, run: CheckRunRecord) {
  const api = repoApiUrl(context, repo.record.owner, repo.record.repo);
  return {
    id: run.id,
    node_id: nodeId('CR', run.id),
    head_sha: run.headSha,
    external_id: run.externalId,
    url: `${api}/check-runs/${run.id}`,
    html_url: `${context.base}/${repo.record.owner}/${repo.record.repo}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.title,
      summary: run.summary,
      text: run.text,
      annotations_count: 0,
      annotations_url: `${api}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id + 1_000_000 },
    app: renderApp(context),
    pull_requests: [],
  };
}
