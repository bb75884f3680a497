import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('../fixtures/target-repo/', import.meta.url));
const HARNESS_TESTS = [
  'test_list_tables',
  'test_invalid_table_name',
  'test_get_table_schema',
  'test_read_table_metadata',
  'test_read_table',
  'test_read_terminates',
  'test_every_column_populated_by_at_least_one_record',
];
/** Skipped for example_crm as upstream skips them: it has no partition mixin and no cdc_with_deletes table. */
const SKIPPED_TESTS = ['test_partition_requires_lakeflow_connect', 'test_read_table_deletes'];
const INSTALL_HINT =
  'python3 and pytest are required: install python3-pytest (apt-get install python3-pytest)';

interface Run {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout: 60_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, output: `${stdout}${stderr}${error && code === null ? String(error) : ''}` });
      },
    );
  });
}

/** The interpreter with pytest, requests and PyYAML (`.ci/run` sets PYTHON when `python3` lacks them). */
const PYTHON = process.env.PYTHON ?? 'python3';

describe('the target-repo fixture', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'target-repo-fixture-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes the harness tests for example_crm in simulate mode', async () => {
    const probe = await run(PYTHON, ['-m', 'pytest', '--version'], FIXTURE);
    expect(probe.code, `${INSTALL_HINT}\n${probe.output}`).toBe(0);

    const junit = join(dir, 'junit.xml');
    const result = await run(
      PYTHON,
      ['-m', 'pytest', '-q', `--junitxml=${junit}`, 'tests/unit/sources/example_crm'],
      FIXTURE,
    );
    expect(result.code, result.output).toBe(0);

    const xml = await readFile(junit, 'utf8');
    const names = [...xml.matchAll(/<testcase\b[^>]*\bname="(test_[^"]+)"/g)].map((match) => match[1]);
    expect(names).toEqual(expect.arrayContaining(HARNESS_TESTS));
    expect(xml).not.toMatch(/<(failure|error)\b/);
    const skipped = [...xml.matchAll(/<testcase\b[^>]*\bname="(test_[^"]+)"[^>]*>\s*<skipped\b/g)].map(
      (match) => match[1],
    );
    expect(skipped.sort()).toEqual([...SKIPPED_TESTS].sort());
  });

  it('regenerates the committed merged source of example_crm, which registers the connector with Spark', async () => {
    const generated =
      'src/databricks/labs/community_connector/sources/example_crm/_generated_example_crm_python_source.py';
    const out = join(dir, 'merged.py');

    const merge = await run(
      PYTHON,
      ['tools/scripts/merge_python_source.py', 'example_crm', '-o', out],
      FIXTURE,
    );

    expect(merge.code, merge.output).toBe(0);
    const merged = await readFile(out, 'utf8');
    expect(merged).toBe(await readFile(join(FIXTURE, generated), 'utf8'));
    expect(merged).toMatch(/^# Merged Lakeflow Source: example_crm$/m);
    expect(merged).toContain('# Do not edit manually.');
    // Imports are hoisted and merged per module; none of the inlined framework modules is imported.
    expect(merged.match(/^from typing import /gm)).toHaveLength(1);
    expect(merged).not.toMatch(/^\s*(from|import) databricks\.labs\./m);
    expect(merged).toMatch(/^def register_lakeflow_source\(spark\):$/m);
    expect(merged).toMatch(/^ {4}LakeflowConnectImpl = ExampleCrmLakeflowConnect$/m);
    expect(merged.endsWith('\n    spark.dataSource.register(LakeflowSource)\n')).toBe(true);
    const register = [
      'from databricks.labs.community_connector.libs.spark_stand_in import install',
      'install()',
      'import types',
      'ns = {}',
      `exec(open(${JSON.stringify(out)}).read(), ns)`,
      'got = []',
      'ns["register_lakeflow_source"](types.SimpleNamespace(dataSource=types.SimpleNamespace(register=got.append)))',
      'source = got[0]({"client_id": "id", "client_secret": "secret", "tableName": "contacts"})',
      'print(got[0].name(), type(source.lakeflow_connect).__name__)',
    ].join('\n');
    const registered = await run(PYTHON, ['-c', register], join(FIXTURE, 'src'));
    expect(registered.output.trim()).toBe('lakeflow_connect ExampleCrmLakeflowConnect');
  });

  it('refuses a source without a module, or a name that is not a source name, with a clear message', async () => {
    const missing = await run(
      PYTHON,
      ['tools/scripts/merge_python_source.py', 'nope', '-o', join(dir, 'x.py')],
      FIXTURE,
    );
    const hostile = await run(
      PYTHON,
      ['tools/scripts/merge_python_source.py', '../etc', '-o', join(dir, 'x.py')],
      FIXTURE,
    );

    expect(missing.code).toBe(1);
    expect(missing.output).toContain('sources/nope/nope.py does not exist');
    expect(hostile.code).toBe(1);
    expect(hostile.output).toContain("invalid source name '../etc'");
  });
});
