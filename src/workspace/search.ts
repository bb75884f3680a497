import { RE2JS, RE2JSException } from 're2js';
import { ToolError } from './tool-error.js';

/** Files read per search: each is a GitHub request the first time. */
export const MAX_SEARCH_FILES = 100;
/** Matching lines returned per search. */
export const MAX_SEARCH_MATCHES = 100;
/** Characters of a line tested, and of a matching line shown. */
const MAX_LINE_CHARS = 2_000;
const SHOWN_LINE_CHARS = 200;
/** Files read at once. */
const CONCURRENCY = 8;

/** Longest pattern accepted: a bound on the size of the compiled automaton. */
const MAX_PATTERN_CHARS = 300;
/** What RE2 leaves out: a backreference (`\1`, `\k<name>`) or a lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`). */
const UNSUPPORTED_BY_RE2 = /\\(?:[1-9]|k<)|\(\?<?[=!]/;

/** A compiled search pattern: whether a line holds a match. */
export interface LinePattern {
  test(line: string): boolean;
}

/**
 * Compiles the model's pattern with RE2 (`re2js`), whose matching time is linear in the line's
 * length whatever the pattern, so no pattern can stall the worker's thread (JavaScript's own
 * engine backtracks: `(a|a)*b` on a long line of `a` runs for ever). RE2 has no backreferences or
 * lookaround; a pattern it cannot compile is the model's to fix, and the message says so.
 */
export function compilePattern(pattern: string): LinePattern {
  if (pattern.length > MAX_PATTERN_CHARS) {
    throw new ToolError(`The pattern is ${pattern.length} characters; use at most ${MAX_PATTERN_CHARS}.`);
  }
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    if (UNSUPPORTED_BY_RE2.test(pattern)) {
      throw new ToolError(
        'Invalid regular expression: RE2 syntax: no backreferences or lookaround (\\1, \\k<name>, (?=, (?!, (?<=, (?<!). Search for a plainer pattern, then read the lines.',
      );
    }
    throw new ToolError(`Invalid regular expression (RE2 syntax): ${error.message}`);
  }
}

/**
 * `path:line: text` for each line of `paths` matching `regex`, reading at most `MAX_SEARCH_FILES`
 * files (eight at a time, in path order) and returning at most `MAX_SEARCH_MATCHES` lines. Files
 * `read` refuses (binary, symlinks, too large) are skipped. When a cap cuts the search short, a last
 * line says so, so the model narrows the prefix instead of trusting a partial answer.
 */
export async function searchTexts(params: {
  regex: LinePattern;
  paths: readonly string[];
  read: (path: string) => Promise<string>;
}): Promise<string[]> {
  const { regex } = params;
  const paths = params.paths.slice(0, MAX_SEARCH_FILES);
  const matches: string[] = [];
  for (let start = 0; start < paths.length && matches.length < MAX_SEARCH_MATCHES; start += CONCURRENCY) {
    const batch = paths.slice(start, start + CONCURRENCY);
    const texts = await Promise.all(batch.map((path) => readOrSkip(params.read, path)));
    batch.forEach((path, index) => {
      const lines = (texts[index] ?? '').split('\n');
      lines.forEach((line, at) => {
        if (matches.length >= MAX_SEARCH_MATCHES + 1) return;
        if (regex.test(line.slice(0, MAX_LINE_CHARS))) {
          matches.push(`${path}:${at + 1}: ${line.slice(0, SHOWN_LINE_CHARS)}`);
        }
      });
    });
  }
  const notes: string[] = [];
  if (matches.length > MAX_SEARCH_MATCHES) {
    notes.push(`… more than ${MAX_SEARCH_MATCHES} matches; use a narrower pattern or prefix.`);
  }
  if (params.paths.length > MAX_SEARCH_FILES) {
    notes.push(
      `… searched only the first ${MAX_SEARCH_FILES} of ${params.paths.length} files; give a narrower prefix.`,
    );
  }
  return [...matches.slice(0, MAX_SEARCH_MATCHES), ...notes];
}

async function readOrSkip(read: (path: string) => Promise<string>, path: string): Promise<string | null> {
  try {
    return await read(path);
  } catch (error) {
    if (error instanceof ToolError) return null;
    throw error;
  }
}
