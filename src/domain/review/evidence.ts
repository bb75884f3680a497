import type { CheckResult } from './schema.js';

/** A line of a file that matched, 1-based. */
export interface Hit {
  path: string;
  line: number;
}

/** 1-based line number of character `index` of `text`. */
export function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The first line of `text` matching `pattern` (comment lines skipped), or null. */
export function firstLine(text: string, pattern: RegExp): number | null {
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trimStart().startsWith('#')) continue;
    if (pattern.test(line)) return index + 1;
  }
  return null;
}

/** The first hit of `pattern` in the given files, in order. */
export function firstHit(
  files: ReadonlyMap<string, string>,
  paths: readonly string[],
  pattern: RegExp,
): Hit | null {
  for (const path of paths) {
    const line = firstLine(files.get(path) ?? '', pattern);
    if (line !== null) return { path, line };
  }
  return null;
}

/** `path:line`, or `path` alone. */
export function cite(path: string, line?: number | null): string {
  return line === undefined || line === null ? path : `${path}:${line}`;
}

/** A passing check. */
export function pass(id: string, finding: string, citation: string | null = null): CheckResult {
  return { id, result: 'pass', finding, citation };
}

/** A failing check; failures always cite where. */
export function fail(id: string, finding: string, citation: string): CheckResult {
  return { id, result: 'fail', finding, citation };
}
