import { describe, expect, it } from 'vitest';
import {
  buildPytestIgnoreArgs,
  isLintedByPylint,
  isTestExcluded,
  PYLINT_FLAGS,
  PYLINT_SKIPPED_PATTERNS,
  parseTestExclusions,
  testExclusionsFor,
} from './ci-gates.js';

describe('parseTestExclusions', () => {
  it('keeps one path per line and skips comments and blank lines', () => {
    const text = [
      '# Test files excluded from CI.',
      '#',
      '',
      '   # an indented comment',
      'tests/unit/sources/alpha/test_alpha.py',
      '',
      '\t',
      '   ',
      'tests/unit/sources/beta/test_group_runner.py',
      '',
    ].join('\n');

    expect(parseTestExclusions(text)).toEqual([
      'tests/unit/sources/alpha/test_alpha.py',
      'tests/unit/sources/beta/test_group_runner.py',
    ]);
  });

  it('drops trailing blanks and the CR of CRLF lines', () => {
    const text = '# comment\r\n\r\ntests/unit/sources/a/test_x.py  \t\r\ntests/unit/sources/a/test_y.py\r\n';

    expect(parseTestExclusions(text)).toEqual([
      'tests/unit/sources/a/test_x.py',
      'tests/unit/sources/a/test_y.py',
    ]);
  });

  it('keeps leading blanks and a # after a path, which then name no file', () => {
    const entries = parseTestExclusions(
      '  tests/unit/sources/a/test_x.py\ntests/unit/sources/a/test_y.py # flaky\n',
    );

    expect(entries).toEqual(['  tests/unit/sources/a/test_x.py', 'tests/unit/sources/a/test_y.py # flaky']);
    expect(isTestExcluded('tests/unit/sources/a/test_x.py', entries)).toBe(false);
    expect(isTestExcluded('tests/unit/sources/a/test_y.py', entries)).toBe(false);
  });

  it('reads a last line without a newline, and nothing from an empty file', () => {
    expect(parseTestExclusions('# c\ntests/unit/sources/a/test_x.py')).toEqual([
      'tests/unit/sources/a/test_x.py',
    ]);
    expect(parseTestExclusions('')).toEqual([]);
    expect(parseTestExclusions('\n\n# only comments\n')).toEqual([]);
  });
});

describe('the exclusions of one connector', () => {
  const entries = [
    'tests/unit/sources/alpha/test_alpha.py',
    'tests/unit/sources/alpha_beta/test_ab.py',
    'tests/unit/sources/alpha/slow/',
    'tests/unit/sources/beta/test_beta.py',
    './tests/unit/sources/alpha/test_dot.py',
  ];

  it("keeps only entries under the connector's tests directory, as pytest --ignore arguments", () => {
    expect(testExclusionsFor('alpha', entries)).toEqual([
      'tests/unit/sources/alpha/test_alpha.py',
      'tests/unit/sources/alpha/slow/',
    ]);
    expect(buildPytestIgnoreArgs('alpha', entries)).toEqual([
      '--ignore=tests/unit/sources/alpha/test_alpha.py',
      '--ignore=tests/unit/sources/alpha/slow/',
    ]);
    expect(buildPytestIgnoreArgs('gamma', entries)).toEqual([]);
  });

  it('looks under the tests folder of a moved layout', () => {
    const layout = {
      sources: 'connectors/sources',
      tests: 'connectors/tests',
      simulatorSpecs: 'connectors/sim',
    };
    const moved = [...entries, 'connectors/tests/alpha/test_alpha.py'];

    expect(buildPytestIgnoreArgs('alpha', moved, layout)).toEqual([
      '--ignore=connectors/tests/alpha/test_alpha.py',
    ]);
  });

  it('excludes an exact path or anything below a directory entry, nothing else', () => {
    expect(isTestExcluded('tests/unit/sources/alpha/test_alpha.py', entries)).toBe(true);
    expect(isTestExcluded('tests/unit/sources/alpha/slow/test_big.py', entries)).toBe(true);
    expect(isTestExcluded('tests/unit/sources/alpha/test_alpha.pyc', entries)).toBe(false);
    expect(isTestExcluded('tests/unit/sources/alpha/test_dot.py', entries)).toBe(false);
    expect(isTestExcluded('tests/unit/sources/alpha/test_other.py', entries)).toBe(false);
  });
});

describe("upstream's pylint", () => {
  it('uses the flags of its workflow, the long-line regex unquoted', () => {
    expect(PYLINT_FLAGS).toEqual([
      '--max-line-length=100',
      '--max-locals=25',
      '--max-branches=20',
      '--max-module-lines=1500',
      '--disable=W,C0114,C0115,C0116,C0415,R0801,R0902,R0903,R0911,R0913,R0917,R1705',
      '--ignore-long-lines=^\\s*(#|f?".*"|f?\'.*\')$',
    ]);
    // As pylint applies it (re.search on the line): a line that is only a string literal is exempt;
    // a long comment is not (the group's `#` must end the line).
    const longLines = new RegExp((PYLINT_FLAGS.at(-1) ?? '').replace('--ignore-long-lines=', ''));
    expect(longLines.test('    f"a long message"')).toBe(true);
    expect(longLines.test("    'a long string'")).toBe(true);
    expect(longLines.test('    # https://example.com/a/very/long/url')).toBe(false);
    expect(longLines.test('    x = "a long string"')).toBe(false);
  });

  it('skip patterns use no regex syntax beyond . and a leading ^, so their translation is exact', () => {
    for (const pattern of PYLINT_SKIPPED_PATTERNS) expect(pattern).toMatch(/^\^?[A-Za-z0-9_./-]+$/);
  });

  it("lints a connector's modules but not the generated file, skipped connectors, tests or non-Python files", () => {
    const sources = 'src/databricks/labs/community_connector/sources';

    expect(isLintedByPylint(`${sources}/alpha/alpha.py`)).toBe(true);
    expect(isLintedByPylint(`${sources}/alpha/helpers/paging.py`)).toBe(true);
    expect(isLintedByPylint(`${sources}/alpha/_generated_alpha_python_source.py`)).toBe(false);
    expect(isLintedByPylint(`${sources}/hubspot/hubspot.py`)).toBe(false);
    expect(isLintedByPylint(`${sources}/stripe/stripe.py`)).toBe(false);
    expect(isLintedByPylint(`${sources}/mixpanel/mixpanel.py`)).toBe(false);
    expect(isLintedByPylint(`${sources}/microsoft_teams/sample-ingest.py`)).toBe(false);
    expect(isLintedByPylint('tools/scripts/merge_python_source.py')).toBe(false);
    expect(isLintedByPylint('tests/unit/sources/alpha/test_alpha.py')).toBe(false);
    expect(isLintedByPylint('src/tests/helper.py')).toBe(true);
    expect(isLintedByPylint(`${sources}/alpha/README.md`)).toBe(false);
  });

  it('matches . in a skip pattern as any character, as grep does', () => {
    expect(isLintedByPylint('pipeline_spec.example.py')).toBe(false);
    expect(isLintedByPylint('pipeline_spec_example_py')).toBe(false);
    expect(isLintedByPylint('x/pipeline_specXexampleXpy/mod.py')).toBe(false);
  });
});
