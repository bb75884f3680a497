import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { mergedSourcePath, RESULTS_FILES, type ResultsSummary } from '../../domain/ci/results-artifact.js';
import type { RunEvent } from '../../domain/pipeline/events.js';
import { CiMode, RunRef } from '../../domain/pipeline/run.js';
import { DEFAULT_LAYOUT, type TargetLayout } from '../../domain/target-repo/layout.js';
import { InvariantError, isRetryable, StateConflictError } from '../../errors.js';
import type { CiPort, CiResults } from '../../ports/ci.js';
import { readResults } from '../actions/read-results.js';
import { planGates } from '../local-ci/gate-plan.js';
import { runConnectorGates } from '../local-ci/run-connector-gates.js';
import { exportTree, type GitCheckout, resolveCommit } from './git-objects.js';
import { readJsonFile, writeJsonAtomic } from './write-json-atomic.js';

/** A dispatched local CI run not yet reported: kept in `<state dir>/ci/pending/<run key>.json` until it is. */
export const LocalCiRequest = z.object({
  ref: RunRef,
  branch: z.string().min(1),
  source: z.string().regex(/^[a-z0-9_]+$/),
  mode: CiMode,
  runKey: z.string().min(1).max(200),
});
export type LocalCiRequest = z.infer<typeof LocalCiRequest>;

const pendingDir = (checkout: GitCheckout) => join(checkout.stateDir, 'ci', 'pending');

/**
 * The `CiPort` of the local CLI for the run `ref`. `dispatch` only records the request (durably, so
 * an interrupted run dispatches nothing twice and loses nothing); {@link runPendingCi} then runs the
 * gates on the branch head and reports `ci_completed` straight to the run, as the workflow-run worker
 * would. There is no run to find later, so `findRun` and `getResults` are never needed.
 */
export function createLocalCi(params: { checkout: GitCheckout; ref: RunRef }): CiPort {
  return {
    async dispatch(dispatch) {
      const request = LocalCiRequest.parse({ ref: params.ref, ...dispatch });
      await writeJsonAtomic(join(pendingDir(params.checkout), `${safeName(request.runKey)}.json`), request);
    },
    findRun: async () => null,
    cancelRun: async () => 'finished',
    getResults: async () => {
      throw new InvariantError(
        'The local CI reports its results with the run event; it has no runs to read.',
      );
    },
  };
}

/** Dispatched requests not yet reported, oldest first. */
export async function listPendingCi(checkout: GitCheckout): Promise<LocalCiRequest[]> {
  const dir = pendingDir(checkout);
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const requests: LocalCiRequest[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const request = await readJsonFile(join(dir, name), LocalCiRequest);
    if (request !== null) requests.push(request);
  }
  return requests;
}

/** How a local CI run ended, for the terminal. */
export interface LocalCiReport {
  request: LocalCiRequest;
  event: Extract<RunEvent, { type: 'ci_completed' }>;
  resultsDir: string;
  /** Package mode: the merged source the gates regenerated, for `commitRegeneratedSource`. */
  regenerated?: CiResults['regeneratedMergedSource'];
}

/**
 * Runs one pending request: exports the branch head into a temporary folder (the user's checkout is
 * not touched), runs the mode's gates there with `python`, keeps the results under
 * `<state dir>/ci/<run key>/`, and returns the `ci_completed` event to enqueue. An abort through
 * `signal` throws a retryable error and leaves the request pending, so `--resume` runs it again.
 */
export async function runLocalCi(params: {
  checkout: GitCheckout;
  request: LocalCiRequest;
  python: string;
  signal: AbortSignal;
  /** The user's environment (default `process.env`); the gates get only `buildLocalCiEnv` of it. */
  env?: NodeJS.ProcessEnv;
  /** Where the checkout keeps connectors: the run's `RunSettings.layout` (default the upstream layout). */
  layout?: TargetLayout;
}): Promise<LocalCiReport> {
  const { checkout, request } = params;
  const layout = params.layout ?? DEFAULT_LAYOUT;
  const head = await resolveCommit(checkout, request.branch);
  const resultsDir = join(checkout.stateDir, 'ci', safeName(request.runKey));
  const id = `${request.runKey}-local-ci`;
  if (head === null) {
    const problem = `The branch ${request.branch} does not exist, so the CI run could not start.`;
    return { request, resultsDir, event: ciEvent(id, request, 'failure', emptyResults(), problem) };
  }
  const workDir = await mkdtemp(join(tmpdir(), 'lakeflow-local-ci-'));
  try {
    await exportTree(checkout, head, workDir);
    await rm(resultsDir, { recursive: true, force: true });
    const run = await runConnectorGates({
      dir: workDir,
      source: request.source,
      layout,
      mode: request.mode,
      runKey: request.runKey,
      python: params.python,
      resultsDir,
      signal: params.signal,
      env: buildLocalCiEnv(params.env ?? process.env),
    });
    if (params.signal.aborted)
      throw new StateConflictError(`The local CI run ${request.runKey} was interrupted`);
    const results = readResults(await readResultsDir(resultsDir, request.source, layout), layout);
    const { conclusion, problem } = judge(run.summary, request.mode, run.timedOut);
    const event = ciEvent(id, request, conclusion, results, problem);
    const regenerated = results.regeneratedMergedSource;
    return { request, resultsDir, event, ...(regenerated === undefined ? {} : { regenerated }) };
  } catch (error) {
    if (params.signal.aborted || isRetryable(error)) throw error;
    const problem = `The local CI run failed to run: ${error instanceof Error ? error.message : String(error)}`;
    return {
      request,
      resultsDir,
      event: ciEvent(id, request, 'failure', emptyResults(), problem.slice(0, 2_000)),
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

const CI_ENV_KEPT =
  /^(PATH|HOME|USER|LOGNAME|SHELL|LANG|LANGUAGE|LC_\w+|TZ|TMPDIR|TEMP|TMP|VIRTUAL_ENV|CONDA_PREFIX|PYTHON\w*|OPENBLAS_\w+|SYSTEMROOT|CONNECTOR_TEST_\w+)$/;

/**
 * The environment the gates get: an allow-list of the user's (paths, locale, Python's own
 * variables, and `CONNECTOR_TEST_*`, which `runConnectorGates` strips again outside `auth`/`live`).
 * Everything else stays out, above all `ANTHROPIC_API_KEY`: the code under test was written by a model.
 */
export function buildLocalCiEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([key, value]) => value !== undefined && CI_ENV_KEPT.test(key)),
  );
}

/** Forgets a request once its event is queued. */
export async function clearPendingCi(checkout: GitCheckout, request: LocalCiRequest): Promise<void> {
  await rm(join(pendingDir(checkout), `${safeName(request.runKey)}.json`), { force: true });
}

/**
 * The conclusion the workflow would have: any failed gate fails the run. A gate the mode needs that
 * did not run (pytest missing, …) is a failure with a problem saying so, never a silent pass.
 */
export function judge(
  summary: ResultsSummary,
  mode: CiMode,
  timedOut: boolean,
): { conclusion: 'success' | 'failure' | 'timed_out'; problem: string | null } {
  if (timedOut) return { conclusion: 'timed_out', problem: 'The local CI run hit its time limit.' };
  const failed = Object.entries(summary.gates).filter(([, outcome]) => outcome === 'failed');
  if (failed.length > 0) return { conclusion: 'failure', problem: null };
  const required = mode === 'auth' ? 'auth_test' : 'pytest';
  if (planGates(mode).includes(required) && summary.gates[required] !== 'passed') {
    return {
      conclusion: 'failure',
      problem: `The ${required} gate did not run locally (${summary.gates[required] ?? 'absent'}): is PYTHON an interpreter with pytest? See logs/${required}.txt.`,
    };
  }
  return { conclusion: 'success', problem: null };
}

function ciEvent(
  id: string,
  request: LocalCiRequest,
  conclusion: 'success' | 'failure' | 'timed_out',
  results: CiResults,
  problem: string | null,
): Extract<RunEvent, { type: 'ci_completed' }> {
  return {
    type: 'ci_completed',
    id,
    runKey: request.runKey,
    conclusion,
    url: null,
    tests: results.tests.slice(0, 500),
    logExcerpt: results.logExcerpt.slice(-20_000),
    problem,
    gates: results.gates,
  };
}

function emptyResults(): CiResults {
  return { tests: [], gates: {}, logExcerpt: '' };
}

async function readResultsDir(
  dir: string,
  source: string,
  layout: TargetLayout,
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const generated = `${RESULTS_FILES.generatedDir}${mergedSourcePath(source, layout)}`;
  for (const name of [RESULTS_FILES.summary, RESULTS_FILES.junit, generated]) {
    const data = await readFile(join(dir, name)).catch(() => null);
    if (data !== null) files.set(name, data);
  }
  const logs = await readdir(join(dir, RESULTS_FILES.logsDir)).catch(() => [] as string[]);
  for (const name of logs)
    files.set(`${RESULTS_FILES.logsDir}${name}`, await readFile(join(dir, RESULTS_FILES.logsDir, name)));
  return files;
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_');
}
