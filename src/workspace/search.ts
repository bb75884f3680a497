import { ToolError } from './tool-error.js';

/** Files read per search: each is a GitHub request the first time. */
export const MAX_SEARCH_FILES = 100;
/** Matching lines returned per search. */
export const MAX_SEARCH_MATCHES = 100;
/** Characters of a matching line shown, and of any line tested (a bound on regex run time). */
const MAX_LINE_CHARS = 2_000;
const SHOWN_LINE_CHARS = 200;
/** Files read at once. */
const CONCURRENCY = 8;

/** Longest pattern accepted. */
const MAX_PATTERN_CHARS = 300;
/** A group holding a quantifier, itself quantified: `(a+)+`, `(x*y)*`, `(a|b+){2,}`. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]/;
/** A backreference: `\1` … `\9`, `\k<name>`. */
const BACKREFERENCE = /\\(?:[1-9]|k<)/;

/**
 * Compiles the model's pattern; a syntax error is the model's to fix. JavaScript regexes backtrack,
 * and a search runs on the worker's thread, so the shapes that can take exponential time (a
 * quantified group holding a quantifier, backreferences) and very long patterns are refused with a
 * hint, before anything runs. Lines are also cut to 2,000 characters before they are tested.
 */
export function compilePattern(pattern: string): RegExp {
  if (pattern.length > MAX_PATTERN_CHARS) {
    throw new ToolError(`The pattern is ${pattern.length} characters; use at most ${MAX_PATTERN_CHARS}.`);
  }
  if (NESTED_QUANTIFIER.test(pattern) || BACKREFERENCE.test(pattern)) {
    throw new ToolError(
      'Refused: nested quantifiers such as (a+)+ and backreferences can make a search run for minutes. Search for a plainer pattern (e.g. a literal word), then read the file.',
    );
  }
  try {
    return new RegExp(pattern);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ToolError(`Invalid regular expression: ${detail}`);
  }
}

/**
 * `path:line: text` for each line of `paths` matching `regex`, reading at most `MAX_SEARCH_FILES`
 * files (eight at a time, in path order) and returning at most `MAX_SEARCH_MATCHES` lines. Files
 * `read` refuses (binary, symlinks, too large) are skipped. When a cap cuts the search short, a last
 * line says so, so the model narrows the prefix instead of trusting a partial answer.
 */
export async function searchTexts(params: {
  regex: RegExp;
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
