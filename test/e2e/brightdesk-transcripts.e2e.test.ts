import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageResult } from '../../src/ports/stage-runner.js';
import {
  BATCH_1_TABLES,
  BATCH_2_TABLES,
  content,
  DEV_TABLE_CONFIG,
  fixedBatch1Connector,
  mergedSourceOf,
  PATHS,
  TERMINATION_BUG,
} from '../fixtures/transcripts/brightdesk/index.js';
import {
  type BrightdeskRig,
  ciFailureOf,
  compilePython,
  type PytestRun,
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
];

function facts(result: StageResult) {
  if (result.outcome !== 'succeeded') throw new Error(`stage ${result.outcome}: ${JSON.stringify(result)}`);
  return result.facts;
}

function expectGreen(run: PytestRun): void {
  expect(run.failed, run.output).toEqual([]);
  expect(run.code, run.output).toBe(0);
  expect(run.passed.sort()).toEqual([...HARNESS_TESTS].sort());
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
      { name: 'test_read_terminates', message: 'Failed: tickets: offset still changing after 50 reads' },
    ]);
    expect(failing.passed.sort(), failing.output).toEqual(
      HARNESS_TESTS.filter((name) => name !== 'test_read_terminates').sort(),
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
