import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActionsCi } from '../../src/adapters/actions/actions-ci.js';
import { createLogger } from '../../src/logging.js';
import type { CiPort } from '../../src/ports/ci.js';
import { attachFakeActions, type FakeActions, WORKFLOW_FILE } from '../fakes/fake-actions/index.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { fakeOctokit } from '../helpers/app-octokit.js';
import { fixtureFiles } from '../helpers/fixture-files.js';

const owner = 'acme';
const repo = 'connectors';
const CONNECTOR = 'src/databricks/labs/community_connector/sources/example_crm/example_crm.py';
const GREEN_KEY = 'acme-connectors-7-b1-test-a1-simulate';
const RED_KEY = 'acme-connectors-7-b1-test-a11-simulate';

/**
 * The adapter against the fake GitHub with fake Actions running the fixture's real gates, webhooks
 * dropped: the results reach the bot only through `findRun` + `getResults`, as in the poll path.
 */
describe('createActionsCi with fake Actions (the workflow contract end to end)', () => {
  let fake: FakeGitHub;
  let actions: FakeActions;
  let ci: CiPort;

  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.addRepo({ owner, repo, files: await fixtureFiles() });
    actions = attachFakeActions(fake, {
      owner,
      repo,
      python: process.env.PYTHON ?? 'python3',
      dropWebhooks: true,
    });
    ci = createActionsCi({
      octokit: fakeOctokit(fake.url),
      owner,
      repo,
      workflowFile: WORKFLOW_FILE,
      log: createLogger({ level: 'silent' }),
    });
  });

  afterEach(async () => {
    try {
      await actions.close();
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  it('dispatches, finds each run by its key and reads the real pytest results', async () => {
    const code = fake.filesAt(owner, repo, 'main')[CONNECTOR] ?? '';
    fake.pushCommit({
      owner,
      repo,
      branch: 'lakeflow-connector/example_crm',
      message: 'Break list_tables',
      files: {
        [CONNECTOR]: code.replace('return list(TABLE_SCHEMAS)', 'return list(TABLE_SCHEMAS) + ["contacts"]'),
      },
    });

    await ci.dispatch({ branch: 'main', source: 'example_crm', mode: 'simulate', runKey: GREEN_KEY });
    await ci.dispatch({
      branch: 'lakeflow-connector/example_crm',
      source: 'example_crm',
      mode: 'simulate',
      runKey: RED_KEY,
    });
    await actions.idle();
    const green = await ci.findRun(GREEN_KEY);
    const red = await ci.findRun(RED_KEY);
    const greenResults = await ci.getResults(green?.id ?? 0);
    const redResults = await ci.getResults(red?.id ?? 0);

    expect(actions.runs().map((run) => run.webhookStatus)).toEqual([null, null]);
    expect(green).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(red).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(red?.id).not.toBe(green?.id);
    expect(greenResults.gates.pytest).toBe('passed');
    expect(greenResults.tests.length).toBeGreaterThanOrEqual(4);
    expect(greenResults.tests.every((test) => test.outcome === 'passed' || test.outcome === 'skipped')).toBe(
      true,
    );
    expect(redResults.gates.pytest).toBe('failed');
    const failing = redResults.tests.filter((test) => test.outcome === 'failed');
    expect(failing.map((test) => test.name)).toEqual([expect.stringMatching(/::test_list_tables$/)]);
    expect(failing[0]?.message).toMatch(/\S/);
    expect(redResults.logExcerpt).toMatch(/==> pytest \(failed\) <==[\s\S]*test_list_tables/);
  });
});
