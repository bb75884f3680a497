import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '@octokit/webhooks-methods';
import { strFromU8, unzipSync } from 'fflate';
import type { ProbotOctokit } from 'probot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_REPO_CONFIG } from '../../src/config/repo-config.js';
import { ResultsSummary } from '../../src/domain/ci/results-artifact.js';
import type { HandlerDeps } from '../../src/handlers/handler-deps.js';
import { onWorkflowRun } from '../../src/handlers/on-workflow-run.js';
import { WorkflowRunPayload } from '../../src/handlers/payloads.js';
import { createLogger } from '../../src/logging.js';
import { attachFakeActions, type FakeActions, WORKFLOW_FILE } from '../fakes/fake-actions/index.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { checkSchema } from '../fakes/fake-github/json-schema-check.js';
import { loadOpenApiSpec } from '../fakes/fake-github/openapi-spec.js';
import { RecordingJobQueue } from '../fakes/recording-job-queue.js';
import { fakeOctokit } from '../helpers/app-octokit.js';
import { fixtureFiles } from '../helpers/fixture-files.js';

const PYTHON = process.env.PYTHON ?? 'python3';
const owner = 'acme';
const repo = 'connectors';
const CONNECTOR = 'src/databricks/labs/community_connector/sources/example_crm/example_crm.py';
const KEY = 'acme-connectors-7-b1-test-a1-simulate';
const HARNESS_TESTS = [
  'test_list_tables',
  'test_get_table_schema',
  'test_read_table',
  'test_read_terminates',
];

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

function junitNames(xml: string): { all: string[]; failing: string[] } {
  const cases = [...xml.matchAll(/<testcase\b[^>]*\bname="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)];
  return {
    all: cases.map((match) => match[1] ?? ''),
    failing: cases
      .filter((match) => /<(failure|error)\b/.test(match[3] ?? ''))
      .map((match) => match[1] ?? ''),
  };
}

describe('attachFakeActions', () => {
  let fake: FakeGitHub;
  let actions: FakeActions;
  let receiver: Server;
  let deliveries: Delivery[];
  let octokit: InstanceType<typeof ProbotOctokit>;

  const dispatch = (ref: string, inputs: Record<string, string>) =>
    octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: WORKFLOW_FILE, ref, inputs });
  const runOf = async (runId: number) =>
    (await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: runId })).data;
  async function resultsOf(runId: number) {
    const listed = await octokit.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: runId });
    const [artifact] = listed.data.artifacts;
    const zip = await octokit.rest.actions.downloadArtifact({
      owner,
      repo,
      artifact_id: artifact?.id ?? 0,
      archive_format: 'zip',
    });
    const files = unzipSync(new Uint8Array(zip.data as ArrayBuffer));
    return {
      names: listed.data.artifacts.map((item) => item.name),
      files,
      summary: ResultsSummary.parse(JSON.parse(strFromU8(files['summary.json'] ?? new Uint8Array()))),
      junit: junitNames(strFromU8(files['junit.xml'] ?? new Uint8Array())),
    };
  }

  beforeEach(async () => {
    deliveries = [];
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    fake = await startFakeGitHub({ webhookSecret: 'actions-secret' });
    fake.addRepo({ owner, repo, files: await fixtureFiles() });
    actions = attachFakeActions(fake, {
      owner,
      repo,
      python: PYTHON,
      webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
    });
    octokit = fakeOctokit(fake.url);
  });

  afterEach(async () => {
    try {
      await actions.close();
      fake.assertNoViolations();
    } finally {
      await fake.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it('runs the real gates for a dispatch, uploads the results and delivers a signed workflow_run', async () => {
    const answered = await dispatch('main', { source: 'example_crm', mode: 'simulate', run_key: KEY });
    const [started] = actions.runs();
    const before = await runOf(started?.runId ?? 0);

    await actions.idle();

    expect(answered.status).toBe(204);
    expect(before.status).not.toBe('completed');
    const run = await runOf(started?.runId ?? 0);
    expect(run).toMatchObject({
      name: 'lakeflow-connector-tests',
      display_title: `lakeflow-connector-tests example_crm simulate ${KEY}`,
      path: `.github/workflows/${WORKFLOW_FILE}`,
      event: 'workflow_dispatch',
      head_branch: 'main',
      status: 'completed',
      conclusion: 'success',
    });
    const results = await resultsOf(run.id);
    expect(results.names).toEqual(['lakeflow-connector-results']);
    expect(results.summary).toMatchObject({ source: 'example_crm', mode: 'simulate', runKey: KEY });
    expect(results.summary.gates.pytest).toBe('passed');
    expect(results.junit.all).toEqual(expect.arrayContaining(HARNESS_TESTS));
    expect(results.junit.failing).toEqual([]);
    expect(Object.keys(results.files)).toContain('logs/pytest.txt');

    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    const signature = String(delivery?.headers['x-hub-signature-256']);
    expect(delivery?.headers['x-github-event']).toBe('workflow_run');
    expect(await verify('actions-secret', delivery?.body ?? '', signature)).toBe(true);
    const payload: unknown = JSON.parse(delivery?.body ?? '{}');
    const spec = await loadOpenApiSpec();
    expect(
      checkSchema(spec.resolve('#/components/schemas/webhook-workflow-run-completed'), payload, spec.resolve),
    ).toEqual([]);
    const parsed = WorkflowRunPayload.parse(payload);
    expect(parsed.workflow_run).toMatchObject({ id: run.id, conclusion: 'success' });
    const jobs = new RecordingJobQueue();
    // onWorkflowRun uses the queue and the repository's settings (here the defaults); no GitHub call.
    const deps = {
      jobs,
      github: () => ({}),
      repoSettings: async () => DEFAULT_REPO_CONFIG,
      log: createLogger({ level: 'silent' }),
    } as unknown as HandlerDeps;
    const outcome = await onWorkflowRun(deps, 'd-1', parsed);
    expect(outcome).toBe('enqueued');
    expect(jobs.list()).toEqual([
      expect.objectContaining({ kind: 'workflow_run', runKey: KEY, runId: run.id, conclusion: 'success' }),
    ]);
    expect(actions.runs()[0]).toMatchObject({ conclusion: 'success', webhookStatus: 202 });
  });

  it('runs back-to-back dispatches one at a time, each on its own ref, and fails the broken one', async () => {
    const code = fake.filesAt(owner, repo, 'main')[CONNECTOR] ?? '';
    fake.pushCommit({
      owner,
      repo,
      branch: 'connector/broken',
      message: 'Break list_tables',
      files: {
        [CONNECTOR]: code.replace('return list(TABLE_SCHEMAS)', 'return list(TABLE_SCHEMAS) + ["contacts"]'),
      },
    });
    const brokenKey = 'acme-connectors-8-b1-test-a1-simulate';

    await dispatch('connector/broken', { source: 'example_crm', mode: 'simulate', run_key: brokenKey });
    await dispatch('main', { source: 'example_crm', mode: 'simulate', run_key: KEY });
    await actions.idle();

    const [broken, green] = actions.runs();
    expect(broken?.completedAt).toBeLessThanOrEqual(green?.startedAt ?? 0);
    expect((await runOf(broken?.runId ?? 0)).conclusion).toBe('failure');
    expect((await runOf(green?.runId ?? 0)).conclusion).toBe('success');
    const results = await resultsOf(broken?.runId ?? 0);
    expect(results.summary.gates.pytest).toBe('failed');
    expect(results.junit.failing).toContain('test_list_tables');
    expect(strFromU8(results.files['logs/pytest.txt'] ?? new Uint8Array())).toMatch(
      /FAILED .*test_list_tables/,
    );
    const payloads = deliveries.map(
      (delivery) => WorkflowRunPayload.parse(JSON.parse(delivery.body)).workflow_run,
    );
    expect(payloads.map((run) => [run.head_branch, run.conclusion])).toEqual([
      ['connector/broken', 'failure'],
      ['main', 'success'],
    ]);
  });

  it('fails a run whose inputs the workflow refuses, without an artifact', async () => {
    await dispatch('main', { source: 'Bad-Name', mode: 'simulate', run_key: KEY });
    await actions.idle();

    const [run] = actions.runs();
    expect(run?.inputProblem).toMatch(/source must match/);
    expect((await runOf(run?.runId ?? 0)).conclusion).toBe('failure');
    const listed = await octokit.rest.actions.listWorkflowRunArtifacts({
      owner,
      repo,
      run_id: run?.runId ?? 0,
    });
    expect(listed.data.total_count).toBe(0);
    expect(deliveries).toHaveLength(1);
  });

  it('completes without a webhook when told to drop them, and leaves runs queued when told never to start', async () => {
    actions.dropWebhooks = true;
    await dispatch('main', {
      source: 'example_crm',
      mode: 'auth',
      run_key: 'acme-connectors-7-b1-auth-a1-auth',
    });
    await actions.idle();
    actions.neverStart = true;
    await dispatch('main', { source: 'example_crm', mode: 'simulate', run_key: KEY });
    await actions.idle();

    const [dropped, queued] = actions.runs();
    expect(await runOf(dropped?.runId ?? 0)).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(await runOf(queued?.runId ?? 0)).toMatchObject({ status: 'queued', conclusion: null });
    expect(deliveries).toEqual([]);
  });

  it('leaves dispatches of other workflows to the hook set before it', async () => {
    const other = vi.fn();
    await actions.close();
    fake.onDispatch = other;
    actions = attachFakeActions(fake, { owner, repo, python: PYTHON });

    await octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: 'ci.yml', ref: 'main' });
    await actions.idle();

    expect(other).toHaveBeenCalledWith(expect.objectContaining({ workflowId: 'ci.yml' }));
    expect(actions.runs()).toEqual([]);
  });
});
