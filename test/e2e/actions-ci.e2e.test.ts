import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActionsCi } from '../../src/adapters/actions/actions-ci.js';
import { RESULTS_ARTIFACT_NAME } from '../../src/domain/ci/results-artifact.js';
import { DEFAULT_LAYOUT } from '../../src/domain/target-repo/layout.js';
import { InvariantError } from '../../src/errors.js';
import { createLogger } from '../../src/logging.js';
import type { CiPort } from '../../src/ports/ci.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { fakeOctokit } from '../helpers/app-octokit.js';

const owner = 'acme';
const repo = 'connectors';
const WORKFLOW = 'lakeflow-connector-tests.yml';
const KEY = 'acme-connectors-1-b1-test-a1-simulate';
const SUMMARY = {
  version: 1,
  source: 'example_crm',
  mode: 'simulate',
  runKey: KEY,
  gates: { pytest: 'failed', merged_source: 'passed', pylint: 'skipped' },
};
const JUNIT = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" tests="2">
<testcase classname="tests.unit.sources.example_crm.test_example_crm_lakeflow_connect.TestExampleCrm" name="test_list_tables"/>
<testcase classname="tests.unit.sources.example_crm.test_example_crm_lakeflow_connect.TestExampleCrm" name="test_read_contacts"><failure message="AssertionError: 2 != 3">E   AssertionError: 2 != 3</failure></testcase>
</testsuite></testsuites>`;

function artifactZip(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])));
}

describe('createActionsCi against the fake GitHub', () => {
  let fake: FakeGitHub;
  let ci: CiPort;

  beforeEach(async () => {
    fake = await startFakeGitHub({ now: () => new Date('2025-03-01T12:00:00Z') });
    fake.addRepo({ owner, repo, files: { 'README.md': '# connectors\n' } });
    ci = createActionsCi({
      octokit: fakeOctokit(fake.url),
      owner,
      repo,
      workflowFile: WORKFLOW,
      log: createLogger({ level: 'silent' }),
    });
  });

  afterEach(async () => {
    try {
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  /** A finished run of the bot's workflow titled with `key`, with the artifact `zip` (if any). */
  function seedRun(options: { key?: string; zip?: Uint8Array; name?: string } = {}) {
    const run = fake.addWorkflowRun({
      owner,
      repo,
      workflow: WORKFLOW,
      headBranch: 'main',
      displayTitle: `Lakeflow connector tests example_crm ${options.key ?? KEY}`,
      status: 'completed',
      conclusion: 'failure',
    });
    if (options.zip !== undefined)
      fake.addArtifact({
        owner,
        repo,
        runId: run.id,
        name: options.name ?? RESULTS_ARTIFACT_NAME,
        zip: options.zip,
      });
    return run;
  }

  async function failureOf(promise: Promise<unknown>): Promise<Error> {
    return promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error as Error,
    );
  }

  it('dispatches the workflow with the run inputs', async () => {
    await ci.dispatch({ branch: 'main', source: 'example_crm', mode: 'simulate', runKey: KEY });

    expect(fake.dispatches).toEqual([
      {
        owner,
        repo,
        workflowId: WORKFLOW,
        ref: 'main',
        inputs: { source: 'example_crm', mode: 'simulate', run_key: KEY },
      },
    ]);
  });

  it("sends the run's environment and folders when they are not the workflow's defaults, and leaves the defaults out", async () => {
    const layout = {
      sources: 'connectors/sources',
      tests: 'connectors/tests',
      simulatorSpecs: 'connectors/sim',
    };
    const base = { branch: 'main', source: 'example_crm', runKey: KEY };

    await ci.dispatch({ ...base, mode: 'live', environment: 'connector live', layout });
    await ci.dispatch({ ...base, mode: 'simulate', environment: 'lakeflow-live', layout: DEFAULT_LAYOUT });
    await ci.dispatch({
      ...base,
      mode: 'auth',
      environment: 'staging',
      layout: { ...DEFAULT_LAYOUT, tests: 'qa/tests' },
    });

    expect(fake.dispatches.map((dispatch) => dispatch.inputs)).toEqual([
      {
        source: 'example_crm',
        mode: 'live',
        run_key: KEY,
        environment: 'connector live',
        sources_dir: 'connectors/sources',
        tests_dir: 'connectors/tests',
        simulator_specs_dir: 'connectors/sim',
      },
      { source: 'example_crm', mode: 'simulate', run_key: KEY },
      { source: 'example_crm', mode: 'auth', run_key: KEY, environment: 'staging', tests_dir: 'qa/tests' },
    ]);
  });

  it('finds the run by its key among others and reads the test table and gates from its artifact', async () => {
    seedRun({ key: 'acme-connectors-1-b1-test-a11-simulate', zip: artifactZip({ 'summary.json': '{}' }) });
    const run = seedRun({
      zip: artifactZip({
        'summary.json': JSON.stringify(SUMMARY),
        'junit.xml': JUNIT,
        'logs/pytest.txt': '1 failed, 1 passed in 0.12s',
        'logs/merged_source.txt': 'merged source is current',
      }),
    });
    seedRun({ key: 'acme-connectors-1-b1-test-a12-simulate' });

    const found = await ci.findRun(KEY);
    const results = await ci.getResults(found?.id ?? 0);

    expect(found).toEqual({
      id: run.id,
      url: expect.stringContaining(`/actions/runs/${run.id}`),
      status: 'completed',
      conclusion: 'failure',
      headBranch: 'main',
      headSha: run.headSha,
      event: 'workflow_dispatch',
    });
    expect(results.tests).toEqual([
      {
        name: 'test_example_crm_lakeflow_connect::TestExampleCrm::test_list_tables',
        outcome: 'passed',
        message: null,
      },
      {
        name: 'test_example_crm_lakeflow_connect::TestExampleCrm::test_read_contacts',
        outcome: 'failed',
        message: 'AssertionError: 2 != 3\nE   AssertionError: 2 != 3',
      },
    ]);
    expect(results.gates).toEqual({ pytest: 'failed', merged_source: 'passed', pylint: 'skipped' });
    expect(results.logExcerpt).toBe(
      '==> merged_source (passed) <==\nmerged source is current\n\n==> pytest (failed) <==\n1 failed, 1 passed in 0.12s',
    );
  });

  it('finds nothing while the run has not appeared', async () => {
    seedRun({ key: 'acme-connectors-1-b1-test-a11-simulate' });

    expect(await ci.findRun(KEY)).toBeNull();
  });

  it.each([
    ['the artifact is missing', undefined, /^The CI run uploaded no `lakeflow-connector-results` artifact/],
    [
      'the zip is corrupt',
      strToU8('PK\u0003\u0004 this is not really a zip'),
      /it is not a readable zip file/,
    ],
    [
      'the JUnit XML is malformed',
      artifactZip({ 'summary.json': JSON.stringify(SUMMARY), 'junit.xml': '<testsuites><testsuite>' }),
      /junit\.xml is not valid XML/,
    ],
    [
      'summary.json is invalid',
      artifactZip({ 'summary.json': JSON.stringify({ ...SUMMARY, mode: 'nightly' }), 'junit.xml': JUNIT }),
      /summary\.json is not in the expected format \(mode: /,
    ],
    [
      'junit.xml is missing although pytest ran',
      artifactZip({ 'summary.json': JSON.stringify(SUMMARY) }),
      /has no junit\.xml, although summary\.json says pytest failed/,
    ],
  ])('fails for good with a clear message when %s', async (_what, zip, message) => {
    const run = seedRun(zip === undefined ? {} : { zip });

    const error = await failureOf(ci.getResults(run.id));

    expect(error).toBeInstanceOf(InvariantError);
    expect(error.message).toMatch(message);
  });

  it('ignores artifacts of other names', async () => {
    const run = seedRun({ zip: artifactZip({ 'summary.json': JSON.stringify(SUMMARY) }), name: 'coverage' });

    expect((await failureOf(ci.getResults(run.id))).message).toMatch(
      /uploaded no `lakeflow-connector-results`/,
    );
  });

  it('cancels a run still in progress, and takes a finished one as nothing to cancel', async () => {
    const stuck = fake.addWorkflowRun({
      owner,
      repo,
      workflow: WORKFLOW,
      headBranch: 'main',
      displayTitle: `Lakeflow connector tests example_crm ${KEY}`,
      status: 'in_progress',
      conclusion: null,
    });

    const first = await ci.cancelRun(stuck.id);
    const second = await ci.cancelRun(stuck.id);

    expect([first, second]).toEqual(['cancelled', 'finished']);
    expect(await ci.findRun(KEY)).toMatchObject({
      id: stuck.id,
      status: 'completed',
      conclusion: 'cancelled',
    });
  });
});
