import { describe, expect, it } from 'vitest';
import { buildGateRun } from '../../../test/helpers/build-run.js';
import { StageFacts } from '../pipeline/events.js';
import type { CiRunRecord, Run, TestCase } from '../pipeline/run.js';
import { renderSummary } from './summary.js';

const HEAD = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';

function atGate(stage: 'research' | 'auth' | 'implement' | 'test' | 'docs_spec'): Run {
  return buildGateRun({
    status: { kind: 'awaiting_approval', gate: { kind: 'stage', stage }, headSha: HEAD },
  });
}

function ciRun(patch: Partial<CiRunRecord>): CiRunRecord {
  return {
    runKey: 'k',
    stage: 'test',
    mode: 'simulate',
    batch: 1,
    url: null,
    conclusion: 'success',
    passed: 0,
    failed: 0,
    ...patch,
  };
}

function test(name: string, outcome: TestCase['outcome'], message: string | null = null): TestCase {
  return { name, outcome, message };
}

describe('renderSummary', () => {
  describe('for a stage at its gate', () => {
    it('summarises research: tables, auth method, deferred tables', () => {
      const facts = StageFacts.parse({
        tables: ['contacts', 'deals', 'companies'],
        deferredTables: ['notes', 'tasks'],
        authMethod: 'OAuth 2.0 client credentials <script>',
        files: ['src/databricks/labs/community_connector/sources/acme_crm/acme_crm_api_doc.md'],
      });

      const body = renderSummary(atGate('research'), {
        kind: 'stage',
        stage: 'research',
        batch: 1,
        attempt: 1,
        headSha: HEAD,
        facts,
      });

      expect(body).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:summary -->
        **Phase 1, research: API documented** · commit [9f8e7d6](https://github.com/acme/lakeflow-community-connectors/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432)

        - Tables documented: \`contacts\`, \`deals\`, \`companies\`
        - Auth method: OAuth 2.0 client credentials &lt;script&gt;
        - Deferred tables (for later batches): \`notes\`, \`tasks\`
        - Files: \`sources/acme_crm/acme_crm_api_doc.md\`

        Reply **\`/approve\`** to write the auth code and its test, or \`/revise <what to change>\` to run *research* again; review comments on the changed lines are taken into account by \`/revise\`.

        Commands now: \`/approve\` · \`/revise <feedback>\` · \`/restart <phase>\` · \`/cancel\` · \`/help\` lists them all."
      `);
    });

    it('summarises auth: method and connection parameters', () => {
      const facts = StageFacts.parse({
        authMethod: 'API key in a header',
        connectionParams: ['api_key', 'region'],
      });

      const body = renderSummary(atGate('auth'), {
        kind: 'stage',
        stage: 'auth',
        batch: 1,
        attempt: 1,
        headSha: HEAD,
        facts,
      });

      expect(body).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:summary -->
        **Phase 2, auth: auth code written** · commit [9f8e7d6](https://github.com/acme/lakeflow-community-connectors/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432)

        - Auth method: API key in a header
        - Connection parameters: \`api_key\`, \`region\`

        Reply **\`/approve\`** to implement the connector, or \`/revise <what to change>\` to run *auth* again; review comments on the changed lines are taken into account by \`/revise\`.

        Commands now: \`/approve\` · \`/revise <feedback>\` · \`/restart <phase>\` · \`/cancel\` · \`/help\` lists them all."
      `);
    });

    it('summarises implement: the tables and their ingestion types', () => {
      const facts = StageFacts.parse({
        tables: ['contacts', 'deals', 'companies'],
        ingestionTypes: { contacts: 'cdc', deals: 'cdc_with_deletes', notes: 'append' },
        files: ['src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py'],
      });

      const body = renderSummary(atGate('implement'), {
        kind: 'stage',
        stage: 'implement',
        batch: 1,
        attempt: 2,
        headSha: HEAD,
        facts,
      });

      expect(body).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:summary -->
        **Phase 3, implement: connector implemented** · commit [9f8e7d6](https://github.com/acme/lakeflow-community-connectors/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432)

        | table | ingestion type |
        |---|---|
        | \`contacts\` | \`cdc\` |
        | \`deals\` | \`cdc_with_deletes\` |
        | \`companies\` | not declared |
        | \`notes\` | \`append\` |

        - Files: \`sources/acme_crm/acme_crm.py\`

        Reply **\`/approve\`** to write the tests and run them in Actions, or \`/revise <what to change>\` to run *implement* again; review comments on the changed lines are taken into account by \`/revise\`.

        Commands now: \`/approve\` · \`/revise <feedback>\` · \`/restart <phase>\` · \`/cancel\` · \`/help\` lists them all."
      `);
    });

    it('summarises docs and spec of a later batch: parameters and tables', () => {
      const facts = StageFacts.parse({ tables: ['notes', 'tasks'], connectionParams: ['api_key'] });

      const body = renderSummary(atGate('docs_spec'), {
        kind: 'stage',
        stage: 'docs_spec',
        batch: 2,
        attempt: 1,
        headSha: HEAD,
        facts,
      });

      expect(body).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:summary -->
        **Phase 5, docs ∥ spec: docs and spec written** (batch 2) · commit [9f8e7d6](https://github.com/acme/lakeflow-community-connectors/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432)

        - Connection parameters in the spec: \`api_key\`
        - Tables documented in the README: \`notes\`, \`tasks\`

        Reply **\`/approve\`** to build the package, or \`/revise <what to change>\` to run *docs ∥ spec* again; review comments on the changed lines are taken into account by \`/revise\`.

        Commands now: \`/approve\` · \`/revise <feedback>\` · \`/restart <phase>\` · \`/cancel\` · \`/help\` lists them all."
      `);
    });
  });

  describe('when the gate was approved automatically', () => {
    it('says so and where the run is now', () => {
      const gate = buildGateRun();
      const run = buildGateRun({
        settings: { ...gate.settings, autoApprove: ['research'] },
        status: { kind: 'running', stage: 'implement' },
      });

      const body = renderSummary(run, {
        kind: 'stage',
        stage: 'research',
        batch: 1,
        attempt: 1,
        headSha: HEAD,
        facts: StageFacts.parse({ tables: ['contacts'] }),
      });

      expect(body).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:summary -->
        **Phase 1, research: API documented** · commit [9f8e7d6](https://github.com/acme/lakeflow-community-connectors/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432)

        - Tables documented: \`contacts\`
        - Auth method: not stated
        - Deferred tables (for later batches): none

        *research* is approved automatically (repository config). The run is now running *implement*.

        Commands now: \`/revise <feedback>\` · \`/cancel\` · \`/help\` lists them all."
      `);
    });
  });

  it('renders green tests as the test table with the CI runs', () => {
    const url = 'https://github.com/acme/lcc/actions/runs';

    const body = renderSummary(atGate('test'), {
      kind: 'tests',
      batch: 1,
      headSha: HEAD,
      tests: [
        test('test_list_tables', 'passed'),
        test('test_read_contacts', 'passed'),
        test('test_read_deals_cdc', 'passed'),
        test('test_write_back | pipes', 'skipped', 'no write-back'),
      ],
      ciRuns: [
        ciRun({ url: `${url}/901`, conclusion: 'failure', failed: 1 }),
        ciRun({
          url: `${url}/902`,
          passed: 3,
          gates: { pytest: 'passed', merged_source: 'passed', pylint: 'skipped' },
        }),
      ],
    });

    expect(body).toMatchInlineSnapshot(`
      "<!-- lakeflow-connector-bot:summary -->
      **Phase 4, test & fix: all tests pass** (2 CI runs: [#901](https://github.com/acme/lcc/actions/runs/901) red, [#902](https://github.com/acme/lcc/actions/runs/902) green)

      | test | result |
      |---|---|
      | test_list_tables | ✅ |
      | test_read_contacts | ✅ |
      | test_read_deals_cdc | ✅ |
      | test_write_back \\| pipes | ⏭️ no write-back |

      3 passed, 0 failed, 1 skipped · pytest ✅ · merged source file ✅ · pylint ⏭️ skipped · commit [9f8e7d6](https://github.com/acme/lakeflow-community-connectors/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432)

      Reply **\`/approve\`** to write the docs and the spec, or \`/revise <what to change>\` to run *test & fix* again; review comments on the changed lines are taken into account by \`/revise\`.

      Commands now: \`/approve\` · \`/revise <feedback>\` · \`/restart <phase>\` · \`/cancel\` · \`/help\` lists them all."
    `);
  });

  it('renders a failure with its reason, the failing tests first and what to do', () => {
    const run = buildGateRun({
      status: { kind: 'failed', stage: 'test', reason: 'Tests still fail after 5 CI run(s).' },
    });

    const body = renderSummary(run, {
      kind: 'stage_failed',
      stage: 'test',
      batch: 1,
      reason: 'Tests still fail after 5 CI run(s).',
      tests: [
        test('test_list_tables', 'passed'),
        test('test_read_deals', 'failed', 'AssertionError: expected 3 records,\ngot 2 <Record>'),
        test('test_read_terminates', 'error', 'TimeoutError'),
      ],
    });

    expect(body).toMatchInlineSnapshot(`
      "<!-- lakeflow-connector-bot:summary -->
      **Phase 4, test & fix, failed:** Tests still fail after 5 CI run(s).

      | test | result |
      |---|---|
      | test_read_deals | ❌ AssertionError: expected 3 records, got 2 &lt;Record&gt; |
      | test_read_terminates | ⚠️ TimeoutError |
      | test_list_tables | ✅ |

      1 passed, 1 failed, 1 error

      Nothing was approved or merged. Reply \`/retry\` to run the phase again, \`/revise <guidance>\` to retry with your guidance, or \`/restart <phase>\` to resume from an earlier phase.

      Commands now: \`/retry\` · \`/revise <guidance>\` · \`/restart <phase>\` · \`/cancel\` · \`/help\` lists them all."
    `);
  });

  it('renders a failed check without tests', () => {
    const reason =
      '`connector_spec.yaml` lists table `companies`, but `AcmeCrmLakeflowConnect.list_tables()` does not return it.';
    const run = buildGateRun({ status: { kind: 'failed', stage: 'implement', reason } });

    const body = renderSummary(run, {
      kind: 'stage_failed',
      stage: 'implement',
      batch: 1,
      reason,
      tests: [],
    });

    expect(body).toMatchInlineSnapshot(`
      "<!-- lakeflow-connector-bot:summary -->
      **Phase 3, implement, failed:** \`connector_spec.yaml\` lists table \`companies\`, but \`AcmeCrmLakeflowConnect.list_tables()\` does not return it.

      Nothing was approved or merged. Reply \`/retry\` to run the phase again, \`/revise <guidance>\` to retry with your guidance, or \`/restart <phase>\` to resume from an earlier phase.

      Commands now: \`/retry\` · \`/revise <guidance>\` · \`/restart <phase>\` · \`/cancel\` · \`/help\` lists them all."
    `);
  });

  describe('for the credentials gate', () => {
    it('explains how to add the secret', () => {
      const run = buildGateRun({
        auth: 'pending',
        status: { kind: 'awaiting_credentials', headSha: HEAD, lastCheck: 'none' },
      });

      const body = renderSummary(run, {
        kind: 'credentials',
        headSha: HEAD,
        lastCheck: 'none',
        problem: null,
      });

      expect(body).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:summary -->
        **Phase 2, auth: auth code written, live credentials next** · commit [9f8e7d6](https://github.com/acme/lakeflow-community-connectors/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432)

        To check the auth code against the real API, the connection parameters go into a secret:

        1. In **Settings → Environments**, open or create the environment \`lakeflow-live\` and add required reviewers.
        2. Add the environment secret \`CONNECTOR_TEST_CONFIG_JSON\`: a flat JSON object of the connection parameters that \`connector_spec.yaml\` declares, e.g. \`{"api_key": "…"}\`. Never paste credentials in a comment.
        3. Reply **\`/approve\`**: I will run \`tests/unit/sources/acme_crm/auth_test.py\` in Actions in that environment.

        No credentials at hand? Reply \`/skip-auth\` to go on in simulate mode only; the PR gets the label \`needs-live-testing\`. \`/revise <guidance>\` runs *auth* again with your guidance.

        Commands now: \`/approve\` · \`/skip-auth\` · \`/revise <feedback>\` · \`/cancel\` · \`/help\` lists them all."
      `);
    });

    it('shows what went wrong after a failed live check', () => {
      const run = buildGateRun({
        auth: 'pending',
        status: { kind: 'awaiting_credentials', headSha: HEAD, lastCheck: 'failed' },
      });

      const body = renderSummary(run, {
        kind: 'credentials',
        headSha: HEAD,
        lastCheck: 'failed',
        problem: 'The live auth check failed: the API answered 401 <Unauthorized>.',
      });

      expect(body).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:summary -->
        **Phase 2, auth: the live check failed** · commit [9f8e7d6](https://github.com/acme/lakeflow-community-connectors/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432)

        Problem: The live auth check failed: the API answered 401 &lt;Unauthorized&gt;.

        Check the secret as below, then reply \`/approve\` to run the check again.

        1. In **Settings → Environments**, open or create the environment \`lakeflow-live\` and add required reviewers.
        2. Add the environment secret \`CONNECTOR_TEST_CONFIG_JSON\`: a flat JSON object of the connection parameters that \`connector_spec.yaml\` declares, e.g. \`{"api_key": "…"}\`. Never paste credentials in a comment.
        3. Reply **\`/approve\`**: I will run \`tests/unit/sources/acme_crm/auth_test.py\` in Actions in that environment.

        No credentials at hand? Reply \`/skip-auth\` to go on in simulate mode only; the PR gets the label \`needs-live-testing\`. \`/revise <guidance>\` runs *auth* again with your guidance.

        Commands now: \`/approve\` · \`/skip-auth\` · \`/revise <feedback>\` · \`/cancel\` · \`/help\` lists them all."
      `);
    });
  });

  it('renders a pause with the budget, the spend and the raise', () => {
    const status = {
      kind: 'paused' as const,
      stage: 'test' as const,
      budget: 'stage' as const,
      spentUsd: 8.02,
      limitUsd: 8,
    };
    const run = buildGateRun({ status });

    const body = renderSummary(run, status);

    expect(body).toMatchInlineSnapshot(`
      "<!-- lakeflow-connector-bot:summary -->
      **Phase 4, test & fix: paused, the stage budget is spent**

      Spent $8.02 of $8.00 on this attempt of *test & fix*.

      Reply **\`/approve\`** to raise the stage budget by $5.00 (to $13.00) and run *test & fix* again, \`/revise <feedback>\` to add guidance for that run, or \`/cancel\` to stop here.

      Commands now: \`/approve\` · \`/revise <feedback>\` · \`/restart <phase>\` · \`/cancel\` · \`/help\` lists them all."
    `);
  });

  it('asks whether to build the next batch', () => {
    const gate = buildGateRun();
    const run = buildGateRun({
      status: { kind: 'awaiting_approval', gate: { kind: 'next_batch' }, headSha: HEAD },
      completedTables: ['contacts', 'deals', 'companies'],
      deferredTables: ['notes', 'tasks', 'tickets', 'users', 'calls', 'emails'],
      settings: { ...gate.settings, maxTablesPerBatch: 4 },
      ciRuns: [
        ciRun({
          stage: 'package',
          mode: 'package',
          url: 'https://github.com/acme/lcc/actions/runs/903',
          gates: { pytest: 'passed', merged_source: 'passed', pylint: 'passed', wheel: 'passed' },
          artifactUrl: 'https://github.com/acme/lcc/actions/runs/903/artifacts/77',
        }),
      ],
    });

    const body = renderSummary(run, { kind: 'batch_done', batch: 1, deferredTables: run.deferredTables });

    expect(body).toMatchInlineSnapshot(`
      "<!-- lakeflow-connector-bot:summary -->
      **Batch 1 of \`acme_crm\` is built and packaged**

      - Built so far: \`contacts\`, \`deals\`, \`companies\`
      - Still to build (Deferred Tables): \`notes\`, \`tasks\`, \`tickets\`, \`users\`, \`calls\`, \`emails\`
      - Package build: pytest ✅ · merged source file ✅ · pylint ✅ · wheel ✅ · [results artifact](https://github.com/acme/lcc/actions/runs/903/artifacts/77)

      Reply **\`/approve\`** to build batch 2 with \`notes\`, \`tasks\`, \`tickets\`, \`users\`, or \`/cancel\` to stop here and hand over the PR as it is. \`/add-tables a,b\` adds tables to the list.

      Commands now: \`/approve\` · \`/add-tables a,b\` · \`/revise <guidance>\` · \`/cancel\` · \`/help\` lists them all."
    `);
  });

  describe('for the final summary', () => {
    it('lists every deliverable and the live-validation note when auth was skipped', () => {
      const run = buildGateRun({
        status: { kind: 'done' },
        batch: { ...buildGateRun().batch, number: 2 },
        completedTables: ['contacts', 'deals', 'companies', 'notes', 'tasks', 'tickets', 'users'],
        deferredTables: [],
        usage: { ...buildGateRun().usage, costUsd: 11.4 },
      });

      const body = renderSummary(run, { kind: 'final' });

      expect(body).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:summary -->
        **\`acme_crm\` connector complete** · 2 batches · 7 tables · $11.40 · 412k input tokens (81% from cache) · 38k output

        Tables: \`contacts\`, \`deals\`, \`companies\`, \`notes\`, \`tasks\`, \`tickets\`, \`users\`

        Deliverables:

        - API doc: \`sources/acme_crm/acme_crm_api_doc.md\`
        - Implementation: \`sources/acme_crm/acme_crm.py\`, \`sources/acme_crm/__init__.py\`
        - Connector spec: \`sources/acme_crm/connector_spec.yaml\`
        - README: \`sources/acme_crm/README.md\`
        - Package: \`sources/acme_crm/pyproject.toml\`, \`sources/acme_crm/_generated_acme_crm_python_source.py\`
        - Connector tests: \`tests/unit/sources/acme_crm/test_acme_crm_lakeflow_connect.py\`, \`tests/unit/sources/acme_crm/__init__.py\`
        - Auth test: \`tests/unit/sources/acme_crm/auth_test.py\`
        - Simulator spec: \`source_simulator/specs/acme_crm/endpoints.yaml\`, \`source_simulator/specs/acme_crm/corpus/\`

        Run the tests: \`pytest tests/unit/sources/acme_crm/ -v\`.

        Live validation has not run (\`/skip-auth\`), so the PR carries the label \`needs-live-testing\`. To run it, add the secret \`CONNECTOR_TEST_CONFIG_JSON\` to the \`lakeflow-live\` environment and reply \`/approve\`.

        The PR is ready for review. Reply \`/add-tables a,b\` to build more tables in a new batch.

        Commands now: \`/approve\` · \`/add-tables a,b\` · \`/restart <phase>\` · \`/help\` lists them all."
      `);
    });

    it('leaves out the note and the auth test for a verified extension', () => {
      const run = buildGateRun({
        status: { kind: 'done' },
        extension: true,
        auth: 'verified',
        completedTables: ['contacts'],
        deferredTables: [],
      });

      const body = renderSummary(run, { kind: 'final' });

      expect(body).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:summary -->
        **\`acme_crm\` connector complete** · 1 batch · 1 table · $2.94 · 412k input tokens (81% from cache) · 38k output

        Tables: \`contacts\`

        Deliverables:

        - API doc: \`sources/acme_crm/acme_crm_api_doc.md\`
        - Implementation: \`sources/acme_crm/acme_crm.py\`, \`sources/acme_crm/__init__.py\`
        - Connector spec: \`sources/acme_crm/connector_spec.yaml\`
        - README: \`sources/acme_crm/README.md\`
        - Package: \`sources/acme_crm/pyproject.toml\`, \`sources/acme_crm/_generated_acme_crm_python_source.py\`
        - Connector tests: \`tests/unit/sources/acme_crm/test_acme_crm_lakeflow_connect.py\`, \`tests/unit/sources/acme_crm/__init__.py\`
        - Simulator spec: \`source_simulator/specs/acme_crm/endpoints.yaml\`, \`source_simulator/specs/acme_crm/corpus/\`

        Run the tests: \`pytest tests/unit/sources/acme_crm/ -v\`.

        The PR is ready for review. Reply \`/add-tables a,b\` to build more tables in a new batch.

        Commands now: \`/add-tables a,b\` · \`/restart <phase>\` · \`/help\` lists them all."
      `);
    });
  });

  it('ends a summary of a cancelled run without commands', () => {
    const run = buildGateRun({ status: { kind: 'cancelled', by: 'octocat' } });

    const body = renderSummary(run, { kind: 'batch_done', batch: 1, deferredTables: ['notes'] });

    expect(body).toMatchInlineSnapshot(`
      "<!-- lakeflow-connector-bot:summary -->
      **Batch 1 of \`acme_crm\` is built and packaged**

      - Built so far: none
      - Still to build (Deferred Tables): \`notes\`

      The run is now cancelled by octocat.

      No command applies now: the run was cancelled. Open a new issue to start again."
    `);
  });

  describe('for the live check after completion', () => {
    const url = 'https://github.com/acme/lcc/actions/runs/990';

    it('reports a pass with the real tests and the label it removes', () => {
      const body = renderSummary(buildGateRun({ status: { kind: 'done' }, auth: 'verified' }), {
        kind: 'live_check',
        passed: true,
        url,
        tests: [
          test('test_acme::TestAcme::test_read_table', 'passed'),
          test('test_acme::TestAcme::test_list_tables', 'passed'),
        ],
        reason: null,
      });

      expect(body).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:summary -->
        **Live validation passed** · [CI run](https://github.com/acme/lcc/actions/runs/990)

        | test (\`test_acme::TestAcme::…\`) | result |
        |---|---|
        | test_read_table | ✅ |
        | test_list_tables | ✅ |

        2 passed, 0 failed

        The connector read the real source with the credentials of the \`lakeflow-live\` environment; the label \`needs-live-testing\` is removed.

        Commands now: \`/add-tables a,b\` · \`/restart <phase>\` · \`/help\` lists them all."
      `);
    });

    it('reports a failure with the reason and how to try again', () => {
      const body = renderSummary(buildGateRun({ status: { kind: 'done' } }), {
        kind: 'live_check',
        passed: false,
        url,
        tests: [test('test_read_table', 'failed', '401 Unauthorized')],
        reason: `The live test run failed ([CI run](${url})): 1 failing test(s): \`test_read_table\`.`,
      });

      expect(body).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:summary -->
        **Live validation failed** · [CI run](https://github.com/acme/lcc/actions/runs/990)

        The live test run failed ([CI run](https://github.com/acme/lcc/actions/runs/990)): 1 failing test(s): \`test_read_table\`.

        | test | result |
        |---|---|
        | test_read_table | ❌ 401 Unauthorized |

        0 passed, 1 failed

        Check the secret \`CONNECTOR_TEST_CONFIG_JSON\` of the \`lakeflow-live\` environment, then reply \`/approve\` to run it again.

        Commands now: \`/approve\` · \`/add-tables a,b\` · \`/restart <phase>\` · \`/help\` lists them all."
      `);
    });
  });
});
