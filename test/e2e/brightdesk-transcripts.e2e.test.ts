import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StageResult } from '../../src/ports/stage-runner.js';
import {
  authCopesWithRefusal,
  BAD_OUTPUTS,
  BATCH_1_TABLES,
  BATCH_2_TABLES,
  brightdeskModel,
  content,
  DEV_TABLE_CONFIG,
  fixedBatch1Connector,
  mergedSourceOf,
  PATHS,
  TERMINATION_BUG,
} from '../fixtures/transcripts/brightdesk/index.js';
import {
  BRIGHTDESK_RUN,
  type BrightdeskRig,
  ciFailureOf,
  compilePython,
  type PytestRun,
  READ_TERMINATES_FAILURE,
  runConnectorTests,
  startBrightdeskRig,
} from '../helpers/brightdesk-stages.js';

const HARNESS_TESTS = [
  'test_list_tables',
  'test_invalid_table_name',
  'test_get_table_schema',
  'test_read_table_metadata',
  'test_read_table',
  'test_read_terminates',
  'test_read_table_deletes',
  'test_every_column_populated_by_at_least_one_record',
  'test_partition_requires_lakeflow_connect',
];
/** auth_test.py is collected (the target's pytest takes *_test.py) and skips without credentials. */
const AUTH_TEST_SKIPPED = 'tests.unit.sources.brightdesk.auth_test';

function facts(result: StageResult) {
  if (result.outcome !== 'succeeded') throw new Error(`stage ${result.outcome}: ${JSON.stringify(result)}`);
  return result.facts;
}

function expectGreen(run: PytestRun): void {
  expect(run.failed, run.output).toEqual([]);
  expect(run.code, run.output).toBe(0);
  expect(run.passed.sort()).toEqual([...HARNESS_TESTS, AUTH_TEST_SKIPPED].sort());
}

// One run through both batches; each test continues from the branch the previous one left.
describe('the Brightdesk transcripts through the real stage runner, SDK and pytest', () => {
  let rig: BrightdeskRig;
  let failing: PytestRun;

  beforeAll(async () => {
    rig = await startBrightdeskRig();
  });

  afterAll(async () => {
    try {
      rig.fake.assertNoViolations();
    } finally {
      await rig.close();
    }
  });

  it('batch 1 research documents three tables and defers two; auth declares the two parameters', async () => {
    const research = facts(await rig.run({ stage: 'research', batch: 1, attempt: 1 }));
    const auth = facts(await rig.run({ stage: 'auth', batch: 1, attempt: 1 }));

    expect(research).toMatchObject({
      tables: BATCH_1_TABLES,
      deferredTables: BATCH_2_TABLES,
      authMethod: 'bearer token (API token)',
    });
    expect(auth.connectionParams).toEqual(['subdomain', 'api_token']);
    expect(rig.commits().map((commit) => commit.message.split('\n')[0])).toEqual([
      'The target repository',
      'research: brightdesk (batch 1)',
      'auth: brightdesk (batch 1)',
    ]);
    expect(rig.commits()[2]?.paths.sort()).toEqual([PATHS.spec, PATHS.authTest, PATHS.testsInit].sort());
  });

  it('batch 1 implement commits the connector, its data source and the simulator spec', async () => {
    const implement = facts(await rig.run({ stage: 'implement', batch: 1, attempt: 1 }));

    expect(implement.tables).toEqual(BATCH_1_TABLES);
    expect(implement.ingestionTypes).toEqual({
      tickets: 'cdc',
      agents: 'snapshot',
      ticket_comments: 'append',
    });
    expect(rig.files().get(PATHS.implementation)).toContain(TERMINATION_BUG.buggy);
    expect(rig.commits().at(-1)?.paths).toHaveLength(6);
  });

  it('after batch 1 test attempt 1, the real pytest fails exactly test_read_terminates, on tickets', async () => {
    facts(await rig.run({ stage: 'test', batch: 1, attempt: 1 }));

    failing = await runConnectorTests(rig.files());

    expect(failing.failed).toEqual([
      { name: 'test_read_terminates', message: READ_TERMINATES_FAILURE.tests[1]?.message },
    ]);
    expect(failing.passed.sort(), failing.output).toEqual(
      [...HARNESS_TESTS.filter((name) => name !== 'test_read_terminates'), AUTH_TEST_SKIPPED].sort(),
    );
  });

  it('test attempt 2 receives the CI failure, fixes the bug with one edit, and every harness test passes', async () => {
    const before = rig.commits().length;

    facts(await rig.run({ stage: 'test', batch: 1, attempt: 2 }, ciFailureOf(failing)));

    expect(rig.commits()).toHaveLength(before + 1);
    expect(rig.commits().at(-1)?.paths).toEqual([PATHS.implementation]);
    expect(rig.files().get(PATHS.implementation)).toBe(fixedBatch1Connector());
    expectGreen(await runConnectorTests(rig.files()));
  });

  it('batch 1 docs ∥ spec and package agree with the code; the merged source compiles', async () => {
    const docsSpec = facts(await rig.run({ stage: 'docs_spec', batch: 1, attempt: 1 }));
    facts(await rig.run({ stage: 'package', batch: 1, attempt: 1 }));

    expect(docsSpec).toMatchObject({ tables: BATCH_1_TABLES, connectionParams: ['subdomain', 'api_token'] });
    const files = rig.files();
    expect(files.get(PATHS.readme)).toBe(content('batch1/README.md'));
    expect(files.get(PATHS.pyproject)).toBe(content('pyproject.toml'));
    const merged = files.get(PATHS.mergedSource) ?? '';
    expect(merged).toBe(mergedSourceOf(fixedBatch1Connector()));
    const compiled = await compilePython(merged);
    expect(compiled.code, compiled.output).toBe(0);
  });

  it('batch 2 appends two tables to the doc and extends the connector, keeping batch-1 tables', async () => {
    const research = facts(await rig.run({ stage: 'research', batch: 2, attempt: 1 }));
    const implement = facts(await rig.run({ stage: 'implement', batch: 2, attempt: 1 }));

    expect(research).toMatchObject({ tables: [...BATCH_1_TABLES, ...BATCH_2_TABLES], deferredTables: [] });
    expect(implement.tables).toEqual([...BATCH_1_TABLES, ...BATCH_2_TABLES]);
    expect(implement.ingestionTypes).toMatchObject({ satisfaction_ratings: 'cdc', macros: 'snapshot' });
    expect(rig.files().get(PATHS.implementation)).toBe(content('batch2/brightdesk.py'));
    expect(rig.files().get(PATHS.simulatorEndpoints)).toBe(content('batch2/endpoints.yaml'));
  });

  it('after batch 2 test, docs ∥ spec and package, every harness test passes with the five tables', async () => {
    facts(await rig.run({ stage: 'test', batch: 2, attempt: 1 }));
    const docsSpec = facts(await rig.run({ stage: 'docs_spec', batch: 2, attempt: 1 }));
    facts(await rig.run({ stage: 'package', batch: 2, attempt: 1 }));

    expect(docsSpec.tables).toEqual([...BATCH_1_TABLES, ...BATCH_2_TABLES]);
    const files = rig.files();
    expect(JSON.parse(files.get(DEV_TABLE_CONFIG) ?? '{}')).toHaveProperty('satisfaction_ratings');
    expectGreen(await runConnectorTests(files));
    const compiled = await compilePython(files.get(PATHS.mergedSource) ?? '');
    expect(compiled.code, compiled.output).toBe(0);
    expect(rig.commits()).toHaveLength(13);
    expect(rig.model.problems).toEqual([]);
    expect(rig.model.served).toContain('test-b1-a2 step 2');
  });
});

describe('bad Brightdesk outputs: the stage fails with a clear reason and commits nothing', () => {
  let rig: BrightdeskRig | undefined;

  afterEach(async () => {
    try {
      rig?.fake.assertNoViolations();
    } finally {
      await rig?.close();
      rig = undefined;
    }
  });

  it.each(BAD_OUTPUTS.map((bad) => [bad.kind, bad] as const))('%s', async (_kind, bad) => {
    rig = await startBrightdeskRig([bad.transcript]);
    const at = BRIGHTDESK_RUN.findIndex(
      (step) =>
        step.stage === bad.stage && step.batch === bad.batch && step.attempt === bad.transcript.attempt,
    );
    for (const step of BRIGHTDESK_RUN.slice(0, at)) {
      const ci = step.stage === 'test' && step.attempt === 2 ? READ_TERMINATES_FAILURE : null;
      facts(await rig.run(step, ci));
    }
    const commits = rig.commits().length;
    const files = rig.files();
    const badStep = BRIGHTDESK_RUN[at];
    if (badStep === undefined) throw new Error(`The run has no ${bad.stage} stage in batch ${bad.batch}`);

    const result = await rig.run(badStep);

    expect(result.outcome).toBe('failed');
    expect(result.outcome === 'failed' ? result.reason : '').toContain(bad.reason);
    expect(rig.commits()).toHaveLength(commits);
    expect(rig.files()).toEqual(files);
    expect(rig.model.served).toContain(`${bad.transcript.name} step ${bad.transcript.steps.length}`);
  });

  it('an agent refused a path outside its stage copes, and only its own files are committed', async () => {
    rig = await startBrightdeskRig([authCopesWithRefusal]);
    facts(await rig.run({ stage: 'research', batch: 1, attempt: 1 }));

    const auth = facts(await rig.run({ stage: 'auth', batch: 1, attempt: 1 }));

    expect(auth.connectionParams).toEqual(['subdomain', 'api_token']);
    expect(rig.files().has(PATHS.readme)).toBe(false);
    expect(rig.commits().at(-1)?.paths.sort()).toEqual([PATHS.spec, PATHS.authTest, PATHS.testsInit].sort());
    const refusal = rig.fake.requests.at(-2)?.body.messages as Array<{
      content: Array<{ content?: string }>;
    }>;
    expect(refusal.at(-1)?.content[0]?.content).toMatch(/^Refused: The auth stage may only write /);
  });
});

describe('the Brightdesk router', () => {
  const system = [{ type: 'text', text: 'You are the research phase of a bot that builds connectors.' }];
  const context = (batch: number) => ({
    role: 'user',
    content: [
      {
        type: 'text',
        text: `# Phase: research (batch ${batch}, attempt 1)\n\nSource: \`brightdesk\`. Mode: **create**.\n\nNo tables were requested.`,
      },
    ],
  });
  const request = (body: Record<string, unknown>) => ({
    method: 'POST',
    path: '/v1/messages',
    headers: {},
    body,
  });
  const answer = (turn: ReturnType<typeof brightdeskModel>['turn'], body: Record<string, unknown>) =>
    typeof turn === 'function' ? turn(request(body)) : turn;

  it('answers 400 and records the problem for an unknown agent, a missing transcript or a tool error it did not plan', () => {
    const model = brightdeskModel();
    const unknown = answer(model.turn, {
      system: [{ type: 'text', text: 'You are a poet.' }],
      messages: [context(1)],
    });
    const noBatch = answer(model.turn, { system, messages: [context(3)] });
    const toolError = answer(model.turn, {
      system,
      messages: [
        context(1),
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'list_files', input: {} }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't1', content: 'boom', is_error: true }],
        },
      ],
    });

    for (const reply of [unknown, noBatch, toolError]) expect(reply).toMatchObject({ status: 400 });
    expect(model.problems).toEqual([
      expect.stringContaining('no known agent prompt'),
      'no transcript answers source-api-researcher b3 a1',
      'research-b1 step 1: a tool failed unexpectedly: boom',
    ]);
  });

  it('answers 400 when a transcript has run out, and serves steps by position whatever the order', () => {
    const model = brightdeskModel();
    const assistant = { role: 'assistant', content: [{ type: 'text', text: 'ok' }] };
    const nudge = { role: 'user', content: [{ type: 'text', text: 'Continue.' }] };
    const history = (turns: number) => [
      context(1),
      ...Array.from({ length: turns }, () => [assistant, nudge]).flat(),
    ];

    const third = answer(model.turn, { system, messages: history(2) });
    const first = answer(model.turn, { system, messages: history(0) });
    const beyond = answer(model.turn, { system, messages: history(3) });

    expect(third).toMatchObject({ content: [{ type: 'tool_use', name: 'submit' }] });
    expect(first).toMatchObject({
      content: [{ type: 'text' }, { name: 'list_files' }, { name: 'search_files' }],
    });
    expect(beyond).toMatchObject({ status: 400 });
    expect(model.served).toEqual(['research-b1 step 3', 'research-b1 step 1']);
    expect(model.problems).toEqual(['research-b1 has 3 steps; step 4 was asked for']);
  });
});
