import { describe, expect, it } from 'vitest';
import { readResults } from './read-results.js';

const SUMMARY = {
  version: 1,
  source: 'example_crm',
  mode: 'simulate',
  runKey: 'acme-connectors-42-b1-test-a1-simulate',
  gates: { pytest: 'failed', merged_source: 'passed' },
};
const JUNIT =
  '<testsuite><testcase classname="test_crm" name="test_ok"/><testcase classname="test_crm" name="test_bad"><failure message="nope"/></testcase></testsuite>';

function files(entries: Record<string, string>): Map<string, Uint8Array> {
  return new Map(Object.entries(entries).map(([path, text]) => [path, new TextEncoder().encode(text)]));
}

describe('readResults', () => {
  it('reads the summary, the test table and the logs', () => {
    const results = readResults(
      files({
        'summary.json': JSON.stringify(SUMMARY),
        'junit.xml': JUNIT,
        'logs/pytest.txt': '1 failed, 1 passed',
        'logs/merged_source.txt': 'merged file is up to date',
        'dist/example_crm-0.1.0-py3-none-any.whl': 'PK',
      }),
    );

    expect(results).toEqual({
      tests: [
        { name: 'test_crm::test_ok', outcome: 'passed', message: null },
        { name: 'test_crm::test_bad', outcome: 'failed', message: 'nope' },
      ],
      gates: { pytest: 'failed', merged_source: 'passed' },
      logExcerpt:
        '==> merged_source (passed) <==\nmerged file is up to date\n\n==> pytest (failed) <==\n1 failed, 1 passed',
    });
  });

  it('accepts a run where pytest never ran and there is no JUnit file', () => {
    const summary = { ...SUMMARY, mode: 'auth', gates: { auth_test: 'failed', pytest: 'skipped' } };

    const results = readResults(
      files({ 'summary.json': JSON.stringify(summary), 'logs/auth_test.txt': '401' }),
    );

    expect(results.tests).toEqual([]);
    expect(results.gates).toEqual({ auth_test: 'failed', pytest: 'skipped' });
    expect(results.logExcerpt).toBe('==> auth_test (failed) <==\n401');
  });

  it.each([
    [
      'summary.json is missing',
      { 'junit.xml': JUNIT },
      /has no summary\.json: the workflow's last step did not run/,
    ],
    ['summary.json is not JSON', { 'summary.json': '{"version":' }, /summary\.json is not valid JSON/],
    [
      'summary.json has the wrong shape',
      { 'summary.json': JSON.stringify({ ...SUMMARY, version: 2, gates: { pytest: 'green' } }) },
      /summary\.json is not in the expected format \(version: .*; gates\.pytest: .*\); is the workflow file up to date\?/,
    ],
    [
      'junit.xml is missing although pytest ran',
      { 'summary.json': JSON.stringify(SUMMARY) },
      /has no junit\.xml, although summary\.json says pytest failed/,
    ],
    [
      'junit.xml is malformed',
      { 'summary.json': JSON.stringify(SUMMARY), 'junit.xml': '<testsuite><testcase' },
      /junit\.xml is not valid XML/,
    ],
  ])('refuses an artifact where %s', (_what, entries, message) => {
    expect(() => readResults(files(entries))).toThrow(message);
  });

  describe('when a package run regenerated the merged source', () => {
    const GENERATED =
      'src/databricks/labs/community_connector/sources/example_crm/_generated_example_crm_python_source.py';
    const PACKAGE = {
      ...SUMMARY,
      mode: 'package',
      runKey: 'acme-connectors-42-b1-package-a1-package',
      gates: { pytest: 'passed', merged_source: 'failed', pylint: 'skipped', wheel: 'skipped' },
    };
    const base = {
      'summary.json': JSON.stringify(PACKAGE),
      'junit.xml': JUNIT.replace(/<failure[^>]*\/>/, ''),
    };

    it("returns the file at the path of the run's layout when one is given", () => {
      const layout = {
        sources: 'connectors/sources',
        tests: 'connectors/tests',
        simulatorSpecs: 'connectors/sim',
      };
      const moved = 'connectors/sources/example_crm/_generated_example_crm_python_source.py';
      const artifact = files({
        ...base,
        [`generated/${GENERATED}`]: '# upstream\n',
        [`generated/${moved}`]: '# moved\n',
      });

      expect(readResults(artifact, layout).regeneratedMergedSource).toEqual({
        path: moved,
        content: '# moved\n',
      });
      expect(readResults(artifact).regeneratedMergedSource?.path).toBe(GENERATED);
    });

    it("returns the file at the exact path of the run's source", () => {
      const results = readResults(files({ ...base, [`generated/${GENERATED}`]: '# merged\nimport json\n' }));

      expect(results.regeneratedMergedSource).toEqual({
        path: GENERATED,
        content: '# merged\nimport json\n',
      });
      expect(results.gates.merged_source).toBe('failed');
    });

    it.each([
      ['another source', GENERATED.replaceAll('example_crm', 'other_crm')],
      [
        'another file of the source',
        GENERATED.replace('_generated_example_crm_python_source', 'example_crm'),
      ],
      ['a workflow', '.github/workflows/evil.yml'],
      ['the path without the generated/ folder', ''],
    ])('ignores %s under generated/', (_what, path) => {
      const name = path === '' ? GENERATED : `generated/${path}`;

      const results = readResults(files({ ...base, [name]: 'print("x")\n' }));

      expect(results.regeneratedMergedSource).toBeUndefined();
    });

    it('ignores the file outside package mode', () => {
      const simulate = { ...PACKAGE, mode: 'simulate' };

      const results = readResults(
        files({
          ...base,
          'summary.json': JSON.stringify(simulate),
          [`generated/${GENERATED}`]: '# merged\n',
        }),
      );

      expect(results.regeneratedMergedSource).toBeUndefined();
    });

    it('refuses a file over 2 MB, or one that is not UTF-8 text', () => {
      const big = new Map(files(base));
      big.set(`generated/${GENERATED}`, new Uint8Array(2 * 1024 * 1024 + 1).fill(0x61));
      const binary = new Map(files(base));
      binary.set(`generated/${GENERATED}`, new Uint8Array([0x23, 0xff, 0xfe, 0x0a]));
      const nul = new Map(files(base));
      nul.set(`generated/${GENERATED}`, new Uint8Array([0x23, 0x00, 0x0a]));

      expect(() => readResults(big)).toThrow(
        /_generated_example_crm_python_source\.py is 2049 KB; the bot commits a merged source of at most 2 MB/,
      );
      expect(() => readResults(binary)).toThrow(/_generated_example_crm_python_source\.py is not UTF-8 text/);
      expect(() => readResults(nul)).toThrow(/is not text \(it holds NUL bytes\)/);
    });
  });
});
