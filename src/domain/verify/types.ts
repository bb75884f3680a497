import { shortPath } from '../target-repo/connector-paths.js';
import type { StageFacts } from '../pipeline/events.js';

/** What a verifier reads: the connector's files at the branch head and the run's table plan. */
export interface VerifyInput {
  /** The connector's source name (lower snake case). */
  source: string;
  /** Path → text of every file at the branch head. */
  files: ReadonlyMap<string, string>;
  /** Tables this batch builds. */
  batchTables: string[];
  /** Tables earlier batches built; they keep working. */
  completedTables: string[];
}

/** A verified stage yields facts read from its files; a failed one yields maintainer-readable problems. */
export type VerifyResult = { ok: true; facts: StageFacts } | { ok: false; problems: string[] };

/** A file name as problems show it, in backticks. */
export function shown(path: string): string {
  return `\`${shortPath(path)}\``;
}

/** A list of names as problems show them: `` `a`, `b` ``. */
export function codeList(names: readonly string[]): string {
  return names.map((name) => `\`${name}\``).join(', ');
}

/** `ok` with `facts` when no problem was found, else the problems. */
export function result(problems: string[], yielded: () => StageFacts): VerifyResult {
  return problems.length > 0 ? { ok: false, problems } : { ok: true, facts: yielded() };
}

/** Paths in `files` that exist, in the given order. */
export function present(files: ReadonlyMap<string, string>, paths: readonly string[]): string[] {
  return paths.filter((path) => files.has(path));
}
