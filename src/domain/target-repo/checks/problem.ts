import { shortPath } from '../connector-paths.js';

/** One thing wrong with a connector: the check that found it, the file it is about, and what to do. */
export interface ConnectorProblem {
  /** The check's id, e.g. `connector_class`, `simulator`. */
  check: string;
  /** The repository path the problem is about. */
  file: string;
  /** A maintainer-readable sentence. */
  message: string;
}

/** A problem of `check` about `file`. */
export function problem(check: string, file: string, message: string): ConnectorProblem {
  return { check, file, message };
}

/** A file name as messages show it, in backticks. */
export function shown(path: string): string {
  return `\`${shortPath(path)}\``;
}

/** A list of names as messages show them: `` `a`, `b` ``. */
export function codeList(names: readonly string[]): string {
  return names.map((name) => `\`${name}\``).join(', ');
}
