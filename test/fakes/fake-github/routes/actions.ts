import {
  bodyOf,
  fail,
  invalid,
  json,
  notFound,
  notImplemented,
  paginate,
  type Route,
  repoOf,
} from '../route.js';
import { matchesCreated } from './created-filter.js';
import { renderArtifact, renderWorkflowRun } from './render-actions.js';

const DOWNLOAD_PATH = '/_fake/artifacts/{artifact_id}/zip';

/** The Actions subset: dispatch, runs, artifacts and their (redirected) downloads. */
export const actionRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
    async handle(request, context) {
      const repo = repoOf(request);
      const body = bodyOf<{ ref: string; inputs?: Record<string, unknown>; return_run_details?: boolean }>(
        request,
      );
      if (body.return_run_details === true) return notImplemented('return_run_details on workflow dispatch');
      if (repo.record.git.resolve(body.ref) === undefined) return invalid(`No ref found for: ${body.ref}`);
      const workflowId = request.params.workflow_id ?? '';
      context.state.workflow(repo, workflowId);
      const dispatch = {
        owner: repo.record.owner,
        repo: repo.record.repo,
        workflowId,
        ref: body.ref,
        inputs: body.inputs ?? {},
      };
      context.state.dispatches.push(dispatch);
      await context.hooks.onDispatch?.(dispatch);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs',
    query: ['branch', 'event', 'created', 'status', 'head_sha', 'exclude_pull_requests', 'per_page', 'page'],
    handle(request, context) {
      const repo = repoOf(request);
      const q = (name: string) => request.query.get(name);
      const runs = repo.runs
        .filter((run) => q('branch') === null || run.headBranch === q('branch'))
        .filter((run) => q('event') === null || run.event === q('event'))
        .filter((run) => q('head_sha') === null || run.headSha === q('head_sha'))
        .filter((run) => q('status') === null || run.status === q('status') || run.conclusion === q('status'))
        .filter((run) => q('created') === null || matchesCreated(run.createdAt, q('created') ?? ''))
        .reverse();
      const { page, headers } = paginate(request, runs);
      return json(
        200,
        { total_count: runs.length, workflow_runs: page.map((run) => renderWorkflowRun(context, repo, run)) },
        headers,
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
    query: ['branch', 'event', 'status', 'per_page', 'page'],
    handle(request, context) {
      const repo = repoOf(request);
      const q = (name: string) => request.query.get(name);
      const file = request.params.workflow_id ?? '';
      // As on GitHub: a workflow file nobody dispatched or seeded does not exist.
      const id = repo.workflows.get(file.includes('/') ? file : `.github/workflows/${file}`) ?? Number(file);
      if (![...repo.workflows.values()].includes(id)) return notFound();
      const runs = repo.runs
        .filter((run) => run.workflowId === id)
        .filter((run) => q('branch') === null || run.headBranch === q('branch'))
        .filter((run) => q('event') === null || run.event === q('event'))
        .filter((run) => q('status') === null || run.status === q('status') || run.conclusion === q('status'))
        .reverse();
      const { page, headers } = paginate(request, runs);
      return json(
        200,
        { total_count: runs.length, workflow_runs: page.map((run) => renderWorkflowRun(context, repo, run)) },
        headers,
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}',
    query: ['exclude_pull_requests'],
    handle(request, context) {
      const repo = repoOf(request);
      const run = repo.runs.find((item) => item.id === Number(request.params.run_id));
      return run === undefined ? notFound() : json(200, renderWorkflowRun(context, repo, run));
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel',
    handle(request, context) {
      const repo = repoOf(request);
      const run = repo.runs.find((item) => item.id === Number(request.params.run_id));
      if (run === undefined) return notFound();
      if (run.status === 'completed') return fail(409, 'Cannot cancel a workflow run that is completed.');
      Object.assign(run, { status: 'completed', conclusion: 'cancelled', updatedAt: context.now() });
      return json(202, {});
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
    query: ['name', 'per_page', 'page'],
    handle(request, context) {
      const repo = repoOf(request);
      const runId = Number(request.params.run_id);
      if (!repo.runs.some((run) => run.id === runId)) return notFound();
      const name = request.query.get('name');
      const artifacts = repo.artifacts.filter(
        (item) => item.runId === runId && (name === null || item.name === name),
      );
      const { page, headers } = paginate(request, artifacts);
      return json(
        200,
        { total_count: artifacts.length, artifacts: page.map((item) => renderArtifact(context, repo, item)) },
        headers,
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
    handle(request, context) {
      const repo = repoOf(request);
      const artifact = repo.artifacts.find((item) => item.id === Number(request.params.artifact_id));
      if (artifact === undefined || request.params.archive_format !== 'zip') return notFound();
      if (artifact.expired) return fail(410, 'Artifact has expired');
      return {
        status: 302,
        headers: {
          location: `${context.base}${DOWNLOAD_PATH.replace('{artifact_id}', String(artifact.id))}`,
        },
      };
    },
  },
  {
    method: 'GET',
    path: DOWNLOAD_PATH,
    inSpec: false,
    public: true,
    handle(request, context) {
      for (const repo of context.state.repos.values()) {
        const artifact = repo.artifacts.find((item) => item.id === Number(request.params.artifact_id));
        if (artifact !== undefined)
          return { status: 200, raw: { data: artifact.data, contentType: 'application/zip' } };
      }
      return notFound();
    },
  },
];
