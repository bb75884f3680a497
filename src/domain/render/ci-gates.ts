import { CI_GATES, type CiGate, type GateResults } from '../ci/results-artifact.js';
import type { Stage } from '../pipeline/phase.js';
import type { CiRunRecord, Run } from '../pipeline/run.js';

/** How each CI gate is named where its result is shown. */
export const GATE_LABELS: Readonly<Record<CiGate, string>> = {
  auth_test: 'auth test',
  pytest: 'pytest',
  merged_source: 'merged source file',
  pylint: 'pylint',
  wheel: 'wheel',
};

const OUTCOME_MARKS = { passed: '✅', failed: '❌', skipped: '⏭️ skipped' } as const;

/** `pytest ✅ · merged source file ✅ · pylint ⏭️ skipped`, in the workflow's order; `null` when none ran. */
export function renderGates(gates: GateResults | undefined): string | null {
  const parts = CI_GATES.flatMap((gate) => {
    const outcome = gates?.[gate];
    return outcome === undefined ? [] : [`${GATE_LABELS[gate]} ${OUTCOME_MARKS[outcome]}`];
  });
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** The newest finished CI run of `stage` in `batch`. */
export function latestCiRun(run: Run, stage: Stage, batch: number): CiRunRecord | undefined {
  return run.ciRuns.findLast(
    (record) => record.stage === stage && record.batch === batch && record.conclusion !== 'pending',
  );
}

/** `- Package build: wheel ✅ · … · [results artifact](…)` for `batch`, or nothing before it ran. */
export function packageLine(run: Run, batch: number): string[] {
  const line = renderCiRunGates(latestCiRun(run, 'package', batch));
  return line === null ? [] : [`- Package build: ${line}`];
}

/** The gates of a CI run and a link to its results artifact (the wheel, in package mode). */
export function renderCiRunGates(record: CiRunRecord | undefined): string | null {
  if (record === undefined) return null;
  const gates = renderGates(record.gates);
  const artifact = record.artifactUrl ? `[results artifact](${record.artifactUrl})` : null;
  const parts = [gates, artifact].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}
