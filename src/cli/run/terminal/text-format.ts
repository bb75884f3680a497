import { CI_GATES, type GateResults } from '../../../domain/ci/results-artifact.js';
import type { Stage } from '../../../domain/pipeline/phase.js';
import { STAGE_LABELS, STAGES } from '../../../domain/pipeline/phase.js';
import type { CiRunRecord } from '../../../domain/pipeline/run.js';
import { GATE_LABELS } from '../../../domain/render/ci-gates.js';

/** Files listed before a list is cut. */
const MAX_FILES = 30;

/** A commit as the terminal names it: its first seven hex digits (`git show <sha>` takes it). */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** `a, b, c`, or `none`. */
export function nameList(names: readonly string[]): string {
  return names.length > 0 ? names.join(', ') : 'none';
}

/** `Phase 3, implement`: stages are numbered 1–6 as in the plan. */
export function phaseTitle(stage: Stage): string {
  return `Phase ${STAGES.indexOf(stage) + 1}, ${STAGE_LABELS[stage]}`;
}

/** ` (batch 2)` from the second batch on. */
export function batchSuffix(batch: number): string {
  return batch > 1 ? ` (batch ${batch})` : '';
}

/** Detail lines under a title: each indented by two spaces. */
export function indent(lines: readonly string[], by = '  '): string[] {
  return lines.map((line) => (line === '' ? '' : `${by}${line}`));
}

/** `Files:` then one repository-relative path a line (as `git` and an editor take them), cut after 30. */
export function fileLines(label: string, files: readonly string[]): string[] {
  if (files.length === 0) return [];
  const more = files.length > MAX_FILES ? [`  … and ${files.length - MAX_FILES} more`] : [];
  return [`${label}:`, ...files.slice(0, MAX_FILES).map((file) => `  ${file}`), ...more];
}

const GATE_WORDS = { passed: 'passed', failed: 'FAILED', skipped: 'skipped' } as const;

/** `pytest passed · merged source file passed · pylint skipped`, in the workflow's order; `null` when none ran. */
export function gateSummary(gates: GateResults | undefined): string | null {
  const parts = CI_GATES.flatMap((gate) => {
    const outcome = gates?.[gate];
    return outcome === undefined ? [] : [`${GATE_LABELS[gate]} ${GATE_WORDS[outcome]}`];
  });
  return parts.length > 0 ? parts.join(' · ') : null;
}

const CI_WORDS: Readonly<Record<CiRunRecord['conclusion'], string>> = {
  pending: 'running',
  success: 'green',
  failure: 'red',
  cancelled: 'cancelled',
  timed_out: 'timed out',
};

/** `run 1 red, run 2 green`. */
export function ciRunList(runs: readonly CiRunRecord[]): string {
  return runs.map((run, index) => `run ${index + 1} ${CI_WORDS[run.conclusion]}`).join(', ');
}
