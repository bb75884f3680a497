import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packResultsZip } from '../../src/adapters/local-ci/pack-results-zip.js';
import { runConnectorGates } from '../../src/adapters/local-ci/run-connector-gates.js';
import { ResultsSummary } from '../../src/domain/ci/results-artifact.js';
import { PYLINT_FLAGS, TEST_EXCLUDE_FILE } from '../../src/domain/target-repo/ci-gates.js';
import { UserInputError } from '../../src/errors.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/target-repo/', import.meta.url));
const PYTHON = process.env.PYTHON ?? 'python3';
const TESTS = 'tests/unit/sources/example_crm';
const CONNECTOR = 'src/databricks/labs/community_connector/sources/example_crm/example_crm.py';
const HARNESS_TESTS = [
  'test_list_tables',
  'test_invalid_table_name',
  'test_get_table_schema',
  'test_read_table_metadata',
  'test_read_table',
  'test_read_terminates',
];

/** Test names in a JUnit file, and those with a failure or error. */
function junitNames(xml: string): { all: string[]; failing: string[] } {
  const cases = [...xml.matchAll(/<testcase\b[^>]*\bname="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)];
  return {
    all: cases.map((match) => match[1] ?? ''),
    failing: cases
      .filter((match) => /<(failure|error)\b/.test(match[3] ?? ''))
      .map((match) => match[1] ?? ''),
  };
}

/** True while `pid` runs (a zombie waiting for its reaper counts as gone). */
async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !/^\d+ \(.*\) Z/.test(stat);
}

describe('runConnectorGates', () => {
  let repo: string;
  const cleanup: string[] = [];
  const run = (params: Partial<Parameters<typeof runConnectorGates>[0]> = {}) =>
    runConnectorGates({
      dir: repo,
      source: 'example_crm',
      mode: 'simulate',
      runKey: 'acme-connectors-7-b1-test-a1-simulate',
      python: PYTHON,
      timeoutMs: 60_000,
      ...params,
    }).then((result) => {
      cleanup.push(result.resultsDir);
      return result;
    });

  beforeEach(async () => {
    repo = await mkdtemp(join(tmpdir(), 'gates-repo-'));
    cleanup.push(repo);
    await cp(FIXTURE, repo, { recursive: true });
  });

  afterEach(async () => {
    await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('passes the fixture connector in simulate mode and packs the results artifact', async () => {
    const { resultsDir, summary, timedOut } = await run();

    expect(timedOut).toBe(false);
    expect(summary).toMatchObject({ version: 1, source: 'example_crm', mode: 'simulate' });
    expect(summary.gates.pytest).toBe('passed');
    expect(Object.keys(summary.gates)).toEqual(['pytest', 'pylint']);
    const junit = junitNames(await readFile(join(resultsDir, 'junit.xml'), 'utf8'));
    expect(junit.all).toEqual(expect.arrayContaining(HARNESS_TESTS));
    expect(junit.failing).toEqual([]);
    const files = unzipSync(await packResultsZip(resultsDir));
    expect(Object.keys(files).sort()).toEqual([
      'junit.xml',
      'logs/pylint.txt',
      'logs/pytest.txt',
      'summary.json',
    ]);
    expect(ResultsSummary.parse(JSON.parse(strFromU8(files['summary.json'] ?? new Uint8Array())))).toEqual(
      summary,
    );
    expect(await readdir(join(repo, TESTS))).not.toContain('__pycache__');
  });

  it('fails pytest on a broken connector line and names the failing test in junit and the log', async () => {
    const path = join(repo, CONNECTOR);
    const code = await readFile(path, 'utf8');
    await writeFile(
      path,
      code.replace('return list(TABLE_SCHEMAS)', 'return list(TABLE_SCHEMAS) + ["contacts"]'),
    );

    const { resultsDir, summary } = await run();

    expect(summary.gates.pytest).toBe('failed');
    expect(junitNames(await readFile(join(resultsDir, 'junit.xml'), 'utf8')).failing).toContain(
      'test_list_tables',
    );
    const log = await readFile(join(resultsDir, 'logs/pytest.txt'), 'utf8');
    expect(log).toMatch(/FAILED .*test_list_tables/);
    expect(Buffer.byteLength(log)).toBeLessThanOrEqual(8_000);
  });

  it('fails pytest when a corpus file is broken', async () => {
    const corpus =
      'src/databricks/labs/community_connector/source_simulator/specs/example_crm/corpus/contacts.json';
    await writeFile(join(repo, corpus), '[{"id": 1,');

    const { resultsDir, summary } = await run();

    expect(summary.gates.pytest).toBe('failed');
    expect(junitNames(await readFile(join(resultsDir, 'junit.xml'), 'utf8')).failing).toContain(
      'test_read_table',
    );
  });

  describe('when CONNECTOR_TEST_* variables are set in the parent environment', () => {
    const secret = '{"client_secret":"do-not-leak-3141"}';

    async function probeEnv(mode: 'simulate' | 'live'): Promise<{ keys: string[]; log: string }> {
      const out = join(repo, `env-${mode}.json`);
      await writeFile(
        join(repo, TESTS, 'test_env_probe.py'),
        'import json, os\n\n\ndef test_env_probe():\n' +
          '    with open(os.environ["ENV_PROBE_OUT"], "w") as f:\n        json.dump(sorted(os.environ), f)\n',
      );
      const env = { ...process.env, CONNECTOR_TEST_CONFIG_JSON: secret, ENV_PROBE_OUT: out };
      const { resultsDir } = await run({ mode, env, runKey: `acme-connectors-7-b1-test-a1-${mode}` });
      return {
        keys: JSON.parse(await readFile(out, 'utf8')) as string[],
        log: await readFile(join(resultsDir, 'logs/pytest.txt'), 'utf8'),
      };
    }

    it('strips them in simulate mode', async () => {
      const { keys, log } = await probeEnv('simulate');

      expect(keys).toContain('ENV_PROBE_OUT');
      expect(keys.filter((key) => key.startsWith('CONNECTOR_TEST_'))).toEqual([]);
      expect(log).not.toContain('do-not-leak-3141');
    });

    it('passes them through in live mode, where credentials belong', async () => {
      const { keys } = await probeEnv('live');

      expect(keys).toContain('CONNECTOR_TEST_CONFIG_JSON');
    });
  });

  describe('in auth mode', () => {
    it('fails with a clear message when the connector has no auth_test.py', async () => {
      const { resultsDir, summary } = await run({
        mode: 'auth',
        runKey: 'acme-connectors-7-b1-auth-a1-auth',
      });

      expect(summary.gates).toEqual({ auth_test: 'failed' });
      expect(await readFile(join(resultsDir, 'logs/auth_test.txt'), 'utf8')).toMatch(
        /auth_test\.py does not exist/,
      );
    });

    it("runs the connector's auth_test.py with the credentials", async () => {
      await writeFile(
        join(repo, TESTS, 'auth_test.py'),
        'import os, sys\nprint("auth ok")\nsys.exit(0 if os.environ.get("CONNECTOR_TEST_CONFIG_JSON") else 3)\n',
      );
      const env = { ...process.env, CONNECTOR_TEST_CONFIG_JSON: '{"k":"v"}' };

      const { resultsDir, summary } = await run({
        mode: 'auth',
        env,
        runKey: 'acme-connectors-7-b1-auth-a1-auth',
      });

      expect(summary.gates).toEqual({ auth_test: 'passed' });
      expect(await readFile(join(resultsDir, 'logs/auth_test.txt'), 'utf8')).toContain('auth ok');
    });

    it("runs the auth_test.py of the run's layout when a repository config moves the tests", async () => {
      const layout = {
        sources: 'connectors/sources',
        tests: 'connectors/tests',
        simulatorSpecs: 'connectors/sim',
      };
      await mkdir(join(repo, 'connectors/tests/example_crm'), { recursive: true });
      await writeFile(join(repo, 'connectors/tests/example_crm/auth_test.py'), 'print("moved auth ok")\n');
      const runKey = 'acme-connectors-7-b1-auth-a1-auth';

      const moved = await run({ mode: 'auth', runKey, layout });
      const upstream = await run({ mode: 'auth', runKey });

      expect(moved.summary.gates).toEqual({ auth_test: 'passed' });
      expect(await readFile(join(moved.resultsDir, 'logs/auth_test.txt'), 'utf8')).toContain('moved auth ok');
      expect(upstream.summary.gates).toEqual({ auth_test: 'failed' });
    });
  });

  describe("the repository's test_exclude.txt", () => {
    const excluded = `${TESTS}/test_needs_credentials.py`;

    beforeEach(async () => {
      // Only the exclusions matter here: spare the CPU the harness run.
      await rm(join(repo, TESTS, 'test_example_crm_lakeflow_connect.py'));
      await writeFile(join(repo, TESTS, 'test_kept.py'), 'def test_kept():\n    assert True\n');
      await writeFile(join(repo, excluded), 'def test_needs_credentials():\n    assert False\n');
      await mkdir(join(repo, '.github/workflows'), { recursive: true });
    });

    it("ignores the connector's listed test files (comments, blank lines, CRLF), as upstream's CI does", async () => {
      await writeFile(
        join(repo, TEST_EXCLUDE_FILE),
        `# needs real credentials\r\n\r\n${excluded}  \r\ntests/unit/sources/other/test_other.py\r\n`,
      );

      const { resultsDir, summary } = await run();

      expect(summary.gates.pytest).toBe('passed');
      expect(junitNames(await readFile(join(resultsDir, 'junit.xml'), 'utf8')).all).toEqual(['test_kept']);
      const log = await readFile(join(resultsDir, 'logs/pytest.txt'), 'utf8');
      expect(log.split('\n')[0]).toContain(` ${TESTS}/ --ignore=${excluded} -v `);
      expect(log).not.toContain('test_other.py');
    });

    it('runs a test file whose line is commented out, or that the file does not list exactly', async () => {
      await writeFile(join(repo, TEST_EXCLUDE_FILE), `# ${excluded}\n./${excluded}\n`);

      const { resultsDir, summary } = await run();

      expect(summary.gates.pytest).toBe('failed');
      expect(junitNames(await readFile(join(resultsDir, 'junit.xml'), 'utf8')).failing).toEqual([
        'test_needs_credentials',
      ]);
    });
  });

  describe('the pylint gate, with a stand-in pylint module that records its arguments', () => {
    const sourceDir = 'src/databricks/labs/community_connector/sources/example_crm';

    beforeEach(async () => {
      await rm(join(repo, TESTS, 'test_example_crm_lakeflow_connect.py'));
      await writeFile(join(repo, TESTS, 'test_kept.py'), 'def test_kept():\n    assert True\n');
      await mkdir(join(repo, 'pylint'));
      await writeFile(join(repo, 'pylint/__init__.py'), '');
      await writeFile(
        join(repo, 'pylint/__main__.py'),
        'import json, sys\nwith open("pylint-args.json", "w") as f:\n    json.dump(sys.argv[1:], f)\n',
      );
      await mkdir(join(repo, sourceDir, 'helpers'));
      await writeFile(join(repo, sourceDir, 'helpers/paging.py'), 'PAGE_SIZE = 100\n');
    });

    it("runs with upstream's flags on every module of the connector but the generated file", async () => {
      const { summary } = await run();

      expect(summary.gates.pylint).toBe('passed');
      expect(JSON.parse(await readFile(join(repo, 'pylint-args.json'), 'utf8'))).toEqual([
        ...PYLINT_FLAGS,
        `${sourceDir}/__init__.py`,
        `${sourceDir}/example_crm.py`,
        `${sourceDir}/example_crm_schemas.py`,
        `${sourceDir}/helpers/paging.py`,
      ]);
    });
  });

  describe('the merged-source check (package mode)', () => {
    const generated =
      'src/databricks/labs/community_connector/sources/example_crm/_generated_example_crm_python_source.py';
    const kept = (resultsDir: string) => join(resultsDir, 'generated', generated);
    const pack = () => run({ mode: 'package', runKey: 'acme-connectors-7-b1-package-a1-package' });
    let committed: string;

    beforeEach(async () => {
      committed = await readFile(join(repo, generated), 'utf8');
      // Only the merge check matters here: spare the CPU the harness run.
      await rm(join(repo, TESTS, 'test_example_crm_lakeflow_connect.py'));
    });

    it('passes when the committed file is current, and keeps no regenerated file', async () => {
      const { resultsDir, summary } = await pack();

      expect(summary.gates.merged_source).toBe('passed');
      expect(await readdir(resultsDir)).not.toContain('generated');
    });

    it('fails when the file is not committed, and keeps the regenerated one under generated/', async () => {
      await rm(join(repo, generated));

      const { resultsDir, summary } = await pack();

      expect(summary.gates.merged_source).toBe('failed');
      expect(await readFile(join(resultsDir, 'logs/merged_source.txt'), 'utf8')).toMatch(
        /is not committed: run python tools\/scripts\/merge_python_source\.py example_crm[\s\S]*The regenerated file is in the results as generated\/src\//,
      );
      expect(await readFile(kept(resultsDir), 'utf8')).toBe(committed);
      expect(Object.keys(unzipSync(await packResultsZip(resultsDir)))).toContain(`generated/${generated}`);
      await expect(readFile(join(repo, generated))).rejects.toThrow(/ENOENT/);
    });

    it('fails when the file is stale, keeps only the regenerated file, and leaves the checkout alone', async () => {
      await writeFile(join(repo, generated), `${committed}# edited by hand\n`);

      const { resultsDir, summary } = await pack();

      expect(summary.gates.merged_source).toBe('failed');
      expect(await readFile(join(resultsDir, 'logs/merged_source.txt'), 'utf8')).toMatch(
        /is out of date \(first difference at line \d+\)/,
      );
      expect(await readFile(kept(resultsDir), 'utf8')).toBe(committed);
      const zipped = Object.keys(unzipSync(await packResultsZip(resultsDir)));
      expect(zipped.filter((name) => name.startsWith('generated/'))).toEqual([`generated/${generated}`]);
      expect(await readFile(join(repo, generated), 'utf8')).toBe(`${committed}# edited by hand\n`);
    });

    it('is skipped, never passed, without a merge script; simulate mode does not run it', async () => {
      await rm(join(repo, 'tools'), { recursive: true });

      const packaged = await pack();
      const simulated = await run();

      expect(packaged.summary.gates.merged_source).toBe('skipped');
      expect(await readFile(join(packaged.resultsDir, 'logs/merged_source.txt'), 'utf8')).toMatch(
        /merge_python_source\.py is not in this repository/,
      );
      expect(simulated.summary.gates).not.toHaveProperty('merged_source');
    });
  });

  it.each([['../etc'], ['Example'], ['a b'], [''], ['x;rm -rf']])(
    'refuses the source name %j',
    async (source) => {
      await expect(run({ source })).rejects.toThrow(UserInputError);
      await expect(run({ source })).rejects.toThrow(/source must match/);
    },
  );

  it('refuses a directory that does not exist', async () => {
    await expect(run({ dir: join(repo, 'nope') })).rejects.toThrow(/is not a directory/);
  });

  it('refuses a results directory that already holds files', async () => {
    await expect(run({ resultsDir: join(repo, TESTS) })).rejects.toThrow(/is not empty/);
  });

  it('kills a hanging test and everything it started at the timeout', async () => {
    const pids = join(repo, 'pids.txt');
    await writeFile(
      join(repo, TESTS, 'test_a_hang.py'),
      'import os, subprocess, time\n\n\ndef test_hang():\n' +
        '    child = subprocess.Popen(["sleep", "60"])\n' +
        `    with open(${JSON.stringify(pids)}, "w") as f:\n` +
        '        f.write(f"{os.getpid()} {child.pid}")\n' +
        '    time.sleep(60)\n',
    );
    const started = Date.now();

    const { resultsDir, summary, timedOut } = await run({ timeoutMs: 5_000 });

    expect(Date.now() - started).toBeLessThan(15_000);
    expect(timedOut).toBe(true);
    expect(summary.gates).toEqual({ pytest: 'failed', pylint: 'skipped' });
    expect(await readFile(join(resultsDir, 'logs/pytest.txt'), 'utf8')).toMatch(
      /killed: the run reached its timeout/,
    );
    const [pytestPid, sleepPid] = (await readFile(pids, 'utf8')).split(' ').map(Number);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([await isAlive(pytestPid ?? 0), await isAlive(sleepPid ?? 0)]).toEqual([false, false]);
  });
});
