import type { StageFacts } from '../pipeline/events.js';
import type { ConnectorProblem } from '../target-repo/checks/problem.js';
import type { TargetLayout } from '../target-repo/layout.js';

export { codeList, shown } from '../target-repo/checks/problem.js';

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
  /** Where the repository keeps connectors (the upstream layout when absent). */
  layout?: TargetLayout;
}

/** A verified stage yields facts read from its files; a failed one yields maintainer-readable problems. */
export type VerifyResult = { ok: true; facts: StageFacts } | { ok: false; problems: string[] };

/** `ok` with `facts` when no problem was found, else the problems' messages. */
export function result(
  problems: readonly (string | ConnectorProblem)[],
  yielded: () => StageFacts,
): VerifyResult {
  if (problems.length === 0) return { ok: true, facts: yielded() };
  return { ok: false, problems: problems.map((p) => (typeof p === 'string' ? p : p.message)) };
}

/** Paths in `files` that exist, in the given order. */
export function present(files: ReadonlyMap<string, string>, paths: readonly string[]): string[] {
  return paths.filter((path) => files.has(path));
}
