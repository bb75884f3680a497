import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packResultsZip } from '../../../src/adapters/local-ci/pack-results-zip.js';
import { runConnectorGates } from '../../../src/adapters/local-ci/run-connector-gates.js';
import { RESULTS_ARTIFACT_NAME, type ResultsSummary } from '../../../src/domain/ci/results-artifact.js';
import type { FakeGitHub } from '../fake-github/index.js';
import type { DispatchRecord } from '../fake-github/state.js';
import { materialiseTree } from './materialise-tree.js';
import { buildRunName, layoutOf, WORKFLOW_FILE, WORKFLOW_NAME, WorkflowInputs } from './workflow-inputs.js';

export { WORKFLOW_FILE, WORKFLOW_NAME } from './workflow-inputs.js';

export interface FakeActionsOptions {
  owner: string;
  repo: string;
  /** The interpreter running the gates. Default `$PYTHON` or `python3`. */
  python?: string;
  /** Where `workflow_run.completed` goes. Default: the fake GitHub's `webhookUrl` at send time. */
  webhookUrl?: string;
  /** The workflow file dispatches must name. Default `lakeflow-connector-tests.yml`. */
  workflowFile?: string;
  /** Bound on each run's gates. Default 60 s. */
  timeoutMs?: number;
  /** Environment the gates start from (default `process.env`); the runner strips credentials by mode. */
  env?: NodeJS.ProcessEnv;
  /** Complete runs without delivering the webhook (the bot must poll). */
  dropWebhooks?: boolean;
  /** Leave runs `queued` forever (the bot's timeout must fire). */
  neverStart?: boolean;
  /**
   * Rewrites a run's results folder after the gates and before the upload: a workflow changed on
   * the branch, or one that misbehaves, uploads whatever it likes.
   */
  editResults?: EditResults;
}

/** See {@link FakeActionsOptions.editResults}. */
export type EditResults = (resultsDir: string, inputs: WorkflowInputs) => Promise<void>;

/** One run the fake started, as tests assert on it. */
export interface FakeActionsRun {
  runId: number;
  dispatch: DispatchRecord;
  displayTitle: string;
  /** The commit the run checked out: the dispatched branch's head when it was dispatched. */
  headSha: string;
  /** Why the workflow's input check failed the run, if it did. */
  inputProblem: string | null;
  summary: ResultsSummary | null;
  conclusion: 'success' | 'failure' | null;
  /** HTTP status the webhook receiver answered; `null` while not sent or when dropped. */
  webhookStatus: number | null;
  /** `performance.now()` when the run went `in_progress` and when it completed. */
  startedAt: number | null;
  completedAt: number | null;
}

export interface FakeActions {
  /** The runs started so far, oldest first (copies). */
  runs(): FakeActionsRun[];
  /** Resolves when every dispatched run has finished; rejects with whatever broke the fake itself. */
  idle(): Promise<void>;
  /** Changeable between dispatches; see {@link FakeActionsOptions}. */
  dropWebhooks: boolean;
  neverStart: boolean;
  editResults: EditResults | undefined;
  /** Detaches from the fake GitHub, waits for pending runs and removes every temporary directory. */
  close(): Promise<void>;
}

/**
 * Plays GitHub Actions for the bot's workflow: a dispatch is answered 204 at once, its run appears
 * `queued`, then, one run at a time, the committed tree of the dispatched ref is checked out into a
 * fresh temporary directory and the real gates run there (`runConnectorGates`); the results zip
 * becomes the run's `lakeflow-connector-results` artifact, the run completes with `success` or
 * `failure`, and a signed `workflow_run.completed` is delivered. Dispatches of other workflows or
 * repositories go to the `onDispatch` hook that was set before.
 */
export function attachFakeActions(fake: FakeGitHub, options: FakeActionsOptions): FakeActions {
  const previous = fake.onDispatch;
  const workflowFile = options.workflowFile ?? WORKFLOW_FILE;
  const records: FakeActionsRun[] = [];
  const tempDirs: string[] = [];
  const failures: unknown[] = [];
  let chain: Promise<void> = Promise.resolve();

  const isOurs = (dispatch: DispatchRecord) =>
    dispatch.owner.toLowerCase() === options.owner.toLowerCase() &&
    dispatch.repo.toLowerCase() === options.repo.toLowerCase() &&
    (dispatch.workflowId === workflowFile || dispatch.workflowId.endsWith(`/${workflowFile}`));

  async function execute(record: FakeActionsRun): Promise<void> {
    const { owner, repo } = options;
    const run = fake.updateWorkflowRun(owner, repo, record.runId, { status: 'in_progress' });
    record.startedAt = performance.now();
    const parsed = WorkflowInputs.safeParse(record.dispatch.inputs);
    if (!parsed.success) {
      record.inputProblem = parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'fake-actions-checkout-'));
      const resultsDir = await mkdtemp(join(tmpdir(), 'fake-actions-results-'));
      tempDirs.push(dir, resultsDir);
      await materialiseTree(fake, { owner, repo, sha: run.headSha, dir });
      const result = await runConnectorGates({
        dir,
        resultsDir,
        source: parsed.data.source,
        mode: parsed.data.mode,
        runKey: parsed.data.run_key,
        layout: layoutOf(parsed.data),
        python: options.python ?? process.env.PYTHON ?? 'python3',
        timeoutMs: options.timeoutMs ?? 60_000,
        ...(options.env ? { env: options.env } : {}),
      });
      record.summary = result.summary;
      await actions.editResults?.(resultsDir, parsed.data);
      fake.addArtifact({
        owner,
        repo,
        runId: run.id,
        name: RESULTS_ARTIFACT_NAME,
        zip: await packResultsZip(resultsDir),
      });
    }
    const passed =
      record.summary !== null && Object.values(record.summary.gates).every((gate) => gate !== 'failed');
    record.conclusion = passed ? 'success' : 'failure';
    fake.updateWorkflowRun(owner, repo, run.id, { status: 'completed', conclusion: record.conclusion });
    record.completedAt = performance.now();
    if (actions.dropWebhooks) return;
    const url = options.webhookUrl ?? fake.webhookUrl;
    if (url === undefined)
      throw new Error('fake Actions: no webhookUrl to deliver workflow_run.completed to');
    const payload = fake.workflowRunCompletedPayload({ owner, repo, runId: run.id });
    record.webhookStatus = await fake.sendWebhook('workflow_run', payload, { url });
  }

  fake.onDispatch = async (dispatch) => {
    if (!isOurs(dispatch)) {
      await previous?.(dispatch);
      return;
    }
    const displayTitle = buildRunName(dispatch.inputs);
    const run = fake.addWorkflowRun({
      owner: options.owner,
      repo: options.repo,
      workflow: workflowFile,
      name: WORKFLOW_NAME,
      displayTitle,
      headBranch: dispatch.ref.replace(/^refs\/heads\//, ''),
      headSha: fake.state.requireRepo(options.owner, options.repo).record.git.resolve(dispatch.ref) ?? '',
      event: 'workflow_dispatch',
      status: 'queued',
    });
    const record: FakeActionsRun = {
      runId: run.id,
      dispatch,
      displayTitle,
      headSha: run.headSha,
      inputProblem: null,
      summary: null,
      conclusion: null,
      webhookStatus: null,
      startedAt: null,
      completedAt: null,
    };
    records.push(record);
    if (actions.neverStart) return;
    chain = chain.then(() => execute(record).catch((error: unknown) => void failures.push(error)));
  };

  const actions: FakeActions = {
    runs: () => records.map((record) => ({ ...record })),
    async idle() {
      await chain;
      if (failures.length > 0) throw new AggregateError(failures.splice(0), 'fake Actions failed');
    },
    dropWebhooks: options.dropWebhooks ?? false,
    neverStart: options.neverStart ?? false,
    editResults: options.editResults,
    async close() {
      fake.onDispatch = previous;
      await chain;
      await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
  return actions;
}
