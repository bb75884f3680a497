import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createActionsCi } from '../../src/adapters/actions/actions-ci.js';
import { ConfigError, ExternalServiceError, InvariantError } from '../../src/errors.js';
import { createLogger } from '../../src/logging.js';
import {
  bodies,
  bodySpy,
  githubApi,
  mockDownload,
  octokitForTests,
  useHttpMock,
} from '../helpers/http-mock.js';

const WORKFLOW = 'lakeflow-connector-tests.yml';
const RUNS = `/repos/acme/connectors/actions/workflows/${WORKFLOW}/runs`;
const KEY = 'acme-connectors-1-b1-test-a1-simulate';

function createCi() {
  return createActionsCi({
    octokit: async () => octokitForTests(),
    owner: 'acme',
    repo: 'connectors',
    workflowFile: WORKFLOW,
    log: createLogger({ level: 'silent' }),
  });
}

const BRANCH = 'lakeflow-connector/acme_crm';
const HEAD = 'c0ffee0000000000000000000000000000000001';

function run(
  id: number,
  title: string,
  status = 'completed',
  conclusion: string | null = 'success',
  origin: { head_branch?: string; head_sha?: string; event?: string } = {},
) {
  return {
    id,
    name: 'Lakeflow connector tests',
    display_title: title,
    status,
    conclusion,
    html_url: `https://github.com/acme/connectors/actions/runs/${id}`,
    head_branch: BRANCH,
    head_sha: HEAD,
    event: 'workflow_dispatch',
    ...origin,
  };
}

function mockRunsPage(page: number, runs: unknown[], query: Record<string, string> = {}) {
  return githubApi()
    .get(RUNS)
    .query({ event: 'workflow_dispatch', ...query, per_page: '50', page: String(page) })
    .reply(200, { total_count: runs.length, workflow_runs: runs });
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );
}

describe('createActionsCi', () => {
  useHttpMock();

  describe('dispatch', () => {
    it('dispatches the workflow on the branch with source, mode and run_key', async () => {
      const spy = bodySpy();
      githubApi().post(`/repos/acme/connectors/actions/workflows/${WORKFLOW}/dispatches`, spy).reply(204);

      await createCi().dispatch({
        branch: 'lakeflow-connector/acme_crm',
        source: 'acme_crm',
        mode: 'simulate',
        runKey: KEY,
      });

      expect(bodies(spy)).toEqual([
        {
          ref: 'lakeflow-connector/acme_crm',
          inputs: { source: 'acme_crm', mode: 'simulate', run_key: KEY },
        },
      ]);
    });

    it('tells the maintainer to install the workflow when it is missing (404), without retrying', async () => {
      githubApi()
        .post(`/repos/acme/connectors/actions/workflows/${WORKFLOW}/dispatches`)
        .reply(404, { message: 'Not Found' });

      const error = await failureOf(
        createCi().dispatch({ branch: 'b', source: 'acme_crm', mode: 'simulate', runKey: KEY }),
      );

      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toBe(
        'The workflow `.github/workflows/lakeflow-connector-tests.yml` does not exist on the default branch of acme/connectors. Run `npx lakeflow-connector-bot init` in a clone of the repository, merge the workflow it adds to the default branch, then comment `/retry`.',
      );
    });

    it("explains a 422 with GitHub's reason, without retrying", async () => {
      githubApi()
        .post(`/repos/acme/connectors/actions/workflows/${WORKFLOW}/dispatches`)
        .reply(422, { message: 'Unexpected inputs provided: ["run_key"]' });

      const error = await failureOf(
        createCi().dispatch({ branch: 'b', source: 'acme_crm', mode: 'live', runKey: KEY }),
      );

      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toMatch(
        /^GitHub refused to start `\.github\/workflows\/lakeflow-connector-tests\.yml` on branch `b` \(Unexpected inputs provided: \["run_key"\]\)\. The workflow needs a `workflow_dispatch` trigger/,
      );
    });

    it('keeps a 5xx retryable', async () => {
      githubApi()
        .post(`/repos/acme/connectors/actions/workflows/${WORKFLOW}/dispatches`)
        .reply(503, { message: 'busy' });

      const error = await failureOf(
        createCi().dispatch({ branch: 'b', source: 's', mode: 'auth', runKey: KEY }),
      );

      expect(error).toBeInstanceOf(ExternalServiceError);
    });
  });

  describe('findRun', () => {
    it('picks the run whose title ends with the key, not one whose key merely ends the same way', async () => {
      mockRunsPage(1, [
        run(11, 'Lakeflow connector tests acme_crm acme-connectors-1-b1-test-a11-simulate'),
        run(12, 'Lakeflow connector tests acme_crm xacme-connectors-1-b1-test-a1-simulate'),
        run(13, `Lakeflow connector tests acme_crm ${KEY}`, 'in_progress', null),
        run(10, `Lakeflow connector tests acme_crm ${KEY}`, 'completed', 'failure'),
      ]);

      const found = await createCi().findRun(KEY);

      expect(found).toEqual({
        id: 13,
        url: 'https://github.com/acme/connectors/actions/runs/13',
        status: 'in_progress',
        conclusion: null,
        headBranch: BRANCH,
        headSha: HEAD,
        event: 'workflow_dispatch',
      });
    });

    it('asks for the expected branch and passes over runs of its key on another head or event', async () => {
      const scope = mockRunsPage(
        1,
        [
          run(15, `tests ${KEY}`, 'completed', 'success', { head_sha: 'f00d'.repeat(10) }),
          run(14, `tests ${KEY}`, 'completed', 'success', { event: 'push' }),
          run(13, `tests ${KEY}`, 'completed', 'success', { head_branch: 'main' }),
          run(12, `tests ${KEY}`, 'completed', 'failure'),
        ],
        { branch: BRANCH },
      );

      const found = await createCi().findRun(KEY, { runKey: KEY, branch: BRANCH, headSha: HEAD });

      expect(scope.isDone()).toBe(true);
      expect(found).toMatchObject({ id: 12, conclusion: 'failure', headSha: HEAD });
    });

    it('reads further pages until the run shows up', async () => {
      const others = Array.from({ length: 50 }, (_, i) =>
        run(100 + i, `tests other-7-b1-test-a${i}-simulate`),
      );
      mockRunsPage(1, others);
      mockRunsPage(2, [run(9, `tests ${KEY}`, 'completed', 'startup_failure')]);

      const found = await createCi().findRun(KEY);

      expect(found).toMatchObject({ id: 9, status: 'completed', conclusion: 'failure' });
    });

    it('is null when a short page ends the list without the run', async () => {
      mockRunsPage(1, [run(11, 'tests acme-connectors-1-b1-test-a11-simulate')]);

      expect(await createCi().findRun(KEY)).toBeNull();
    });

    it('stops after a bounded number of pages', async () => {
      for (let page = 1; page <= 4; page += 1) {
        mockRunsPage(
          page,
          Array.from({ length: 50 }, (_, i) => run(page * 100 + i, `tests k-${page}-${i}`)),
        );
      }

      expect(await createCi().findRun(KEY)).toBeNull();
    });

    it('is null when the workflow does not exist (the appear timeout reports it)', async () => {
      githubApi().get(RUNS).query(true).reply(404, { message: 'Not Found' });

      expect(await createCi().findRun(KEY)).toBeNull();
    });
  });

  describe('getResults', () => {
    const ARTIFACTS = '/repos/acme/connectors/actions/runs/77/artifacts';
    const summary = {
      version: 1,
      source: 'acme_crm',
      mode: 'simulate',
      runKey: KEY,
      gates: { pytest: 'passed' },
    };
    const zip = zipSync({
      'summary.json': strToU8(JSON.stringify(summary)),
      'junit.xml': strToU8('<testsuite><testcase classname="test_acme_crm" name="test_read"/></testsuite>'),
      logs: { 'pytest.txt': strToU8('1 passed') },
    });

    function mockArtifacts(artifacts: unknown[]) {
      return githubApi()
        .get(ARTIFACTS)
        .query({ name: 'lakeflow-connector-results', per_page: '100' })
        .reply(200, { total_count: artifacts.length, artifacts });
    }

    const artifact = (id: number, extra: object = {}) => ({
      id,
      name: 'lakeflow-connector-results',
      size_in_bytes: zip.length,
      expired: false,
      ...extra,
    });

    it('follows the redirect to the zip and reads the tests, gates, logs and the artifact id', async () => {
      mockArtifacts([artifact(55)]);
      mockDownload({ artifactPath: '/repos/acme/connectors/actions/artifacts/55/zip', zip });

      const results = await createCi().getResults(77);

      expect(results).toEqual({
        tests: [{ name: 'test_acme_crm::test_read', outcome: 'passed', message: null }],
        gates: { pytest: 'passed' },
        logExcerpt: '==> pytest (passed) <==\n1 passed',
        artifactId: 55,
      });
    });

    it('says so when the run uploaded no results artifact', async () => {
      mockArtifacts([]);

      const error = await failureOf(createCi().getResults(77));

      expect(error).toBeInstanceOf(InvariantError);
      expect(error.message).toMatch(/^The CI run uploaded no `lakeflow-connector-results` artifact/);
    });

    it('says so when the artifact expired, listed or on download (410)', async () => {
      mockArtifacts([artifact(55, { expired: true })]);
      const listed = await failureOf(createCi().getResults(77));
      mockArtifacts([artifact(56)]);
      githubApi()
        .get('/repos/acme/connectors/actions/artifacts/56/zip')
        .reply(410, { message: 'Artifact has expired' });
      const downloaded = await failureOf(createCi().getResults(77));

      expect(listed.message).toMatch(/artifact of the CI run has expired; start a new run with `\/retry`/);
      expect(downloaded).toBeInstanceOf(InvariantError);
      expect(downloaded.message).toMatch(/has expired or was deleted/);
    });

    it('refuses an artifact larger than the limit before downloading it', async () => {
      mockArtifacts([artifact(55, { size_in_bytes: 30 * 1024 * 1024 })]);

      const error = await failureOf(createCi().getResults(77));

      expect(error.message).toMatch(/artifact is 30 MB; the bot reads at most 20 MB/);
    });

    it('keeps a 5xx on the artifact list retryable', async () => {
      githubApi().get(ARTIFACTS).query(true).reply(502, { message: 'Bad Gateway' });

      expect(await failureOf(createCi().getResults(77))).toBeInstanceOf(ExternalServiceError);
    });
  });

  describe('cancelRun', () => {
    it('asks GitHub to cancel the run', async () => {
      const cancel = githubApi().post('/repos/acme/connectors/actions/runs/77/cancel').reply(202, {});

      expect(await createCi().cancelRun(77)).toBe('cancelled');
      expect(cancel.isDone()).toBe(true);
    });

    it('takes a run that already finished (409) as nothing to cancel', async () => {
      githubApi()
        .post('/repos/acme/connectors/actions/runs/77/cancel')
        .reply(409, { message: 'Cannot cancel a workflow run that is completed.' });

      expect(await createCi().cancelRun(77)).toBe('finished');
    });

    it('fails retryably on a GitHub outage', async () => {
      githubApi()
        .post('/repos/acme/connectors/actions/runs/77/cancel')
        .reply(502, { message: 'Bad gateway' });

      expect(await failureOf(createCi().cancelRun(77))).toBeInstanceOf(ExternalServiceError);
    });
  });
});
