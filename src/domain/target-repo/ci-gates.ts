import { connectorPaths } from './connector-paths.js';
import { DEFAULT_LAYOUT, type TargetLayout } from './layout.js';

/**
 * What the target repository's own CI checks, as facts read from its workflows
 * (`.github/workflows/pylint.yml` and `tests.yml` of databrickslabs/lakeflow-community-connectors).
 * The bot's workflow (`.github/workflows/lakeflow-connector-tests.yml`) and the local gates
 * (`src/adapters/local-ci/`) both follow these; static tests run the workflow's shell against them.
 */

/**
 * The flags upstream's Pylint workflow passes to `pylint`, in its order, one argv word each (already
 * unquoted: the last is the shell word `--ignore-long-lines='^\s*(#|f?".*"|f?'\''.*'\'')$'`).
 */
export const PYLINT_FLAGS: readonly string[] = [
  '--max-line-length=100',
  '--max-locals=25',
  '--max-branches=20',
  '--max-module-lines=1500',
  '--disable=W,C0114,C0115,C0116,C0415,R0801,R0902,R0903,R0911,R0913,R0917,R1705',
  `--ignore-long-lines=^\\s*(#|f?".*"|f?'.*')$`,
];

/**
 * The `grep -v` patterns upstream's Pylint workflow drops from `git ls-files '*.py'` (repository-root
 * paths), in its order. They are POSIX basic regular expressions matched anywhere in the path; the
 * only special characters they use are `.` (any character) and a leading `^`.
 */
export const PYLINT_SKIPPED_PATTERNS: readonly string[] = [
  '_generated_',
  'pipeline-spec/example_ingest.py',
  'pipeline_spec.example.py',
  'tools/scripts/merge_python_source.py',
  'community_connector_cli/templates/ingest_template',
  'community_connector/sources/hubspot/',
  'community_connector/sources/stripe/',
  'community_connector/sources/mixpanel/',
  'microsoft_teams/sample-ingest.py',
  '^tests/',
];

const SKIPPED = PYLINT_SKIPPED_PATTERNS.map(basicRegexToRegExp);

/** True when upstream's Pylint workflow lints `path` (relative to the repository root). */
export function isLintedByPylint(path: string): boolean {
  return path.endsWith('.py') && !SKIPPED.some((pattern) => pattern.test(path));
}

/** Upstream's list of test files its CI does not run, relative to the repository root. */
export const TEST_EXCLUDE_FILE = '.github/workflows/test_exclude.txt';

/**
 * The entries of {@link TEST_EXCLUDE_FILE}, read as upstream's Tests workflow reads them: one
 * repository-root path per line; a line whose first non-blank character is `#` is a comment (no
 * inline comments: a `#` after a path is part of it); blank lines are skipped; trailing blanks are
 * dropped (upstream's unquoted `$IGNORE_FLAGS` loses them too), and so is a CR, so a CRLF copy reads
 * like the LF file upstream's Linux checkout sees. Leading blanks are kept: such an entry names no
 * file, as upstream's `tests/unit/sources/<source>/*` match fails on it. A last line without a
 * newline counts (upstream's `changes` job reads it; its `while read` loop alone would drop it).
 */
export function parseTestExclusions(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f\v]+$/, ''))
    .filter((line) => line !== '' && !/^[ \t\f\v]*#/.test(line));
}

/**
 * The entries that apply to connector `source`: those under its tests folder (`tests/unit/sources/<source>/`
 * upstream, `layout.tests` when a repository config moves it), the only
 * ones upstream's per-source test job passes to pytest as `--ignore`.
 */
export function testExclusionsFor(
  source: string,
  entries: readonly string[],
  layout: TargetLayout = DEFAULT_LAYOUT,
): string[] {
  const testsDir = connectorPaths(source, layout).testsDir;
  return entries.filter((entry) => entry.startsWith(testsDir));
}

/** pytest's `--ignore=<entry>` arguments for connector `source`, in the file's order. */
export function buildPytestIgnoreArgs(
  source: string,
  entries: readonly string[],
  layout: TargetLayout = DEFAULT_LAYOUT,
): string[] {
  return testExclusionsFor(source, entries, layout).map((entry) => `--ignore=${entry}`);
}

/**
 * True when `path` (relative to the repository root) is excluded: it is an entry, or lies under an
 * entry naming a directory (pytest's `--ignore` skips everything below a directory). Upstream
 * compares exact strings (`grep -qxF`), so `./tests/…` or a leading blank matches nothing.
 */
export function isTestExcluded(path: string, entries: readonly string[]): boolean {
  return entries.some((entry) => {
    const dir = entry.endsWith('/') ? entry : `${entry}/`;
    return path === entry || path.startsWith(dir);
  });
}

/** A `grep` basic regular expression using only `.` and a leading `^` as a JavaScript RegExp. */
function basicRegexToRegExp(pattern: string): RegExp {
  const anchored = pattern.startsWith('^');
  const body = (anchored ? pattern.slice(1) : pattern)
    .split('.')
    .map((part) => part.replace(/[\\^$*+?()[\]{}|/]/g, '\\$&'))
    .join('.');
  return new RegExp(`${anchored ? '^' : ''}${body}`);
}
