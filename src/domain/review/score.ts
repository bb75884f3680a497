import { InvariantError } from '../../errors.js';
import { RUBRIC, rubricCheck, type Severity } from './rubric.js';
import type { CheckOutcome, SelfReviewScore, Verdict } from './schema.js';

/** Points per severity and result (docs/target-repository.md, Self-review). */
export const WEIGHTS: Readonly<Record<Severity, Readonly<Record<CheckOutcome, number>>>> = Object.freeze({
  BLOCKER: { pass: 3, warn: -3, fail: -10 },
  MAJOR: { pass: 2, warn: -1, fail: -3 },
  MINOR: { pass: 1, warn: 0, fail: -1 },
});

/** The all-pass total the sum is normalised against (124 for the 54 checks). */
export const MAX_POINTS = RUBRIC.reduce((sum, row) => sum + WEIGHTS[row.severity].pass, 0);

/**
 * Scores per-check results with the rubric's weights. The sum is normalised against all-pass and
 * rounded: `round(100 × max(0, sum) / MAX_POINTS)`; the rubric leaves negative sums open, and here
 * they clamp at 0 (a sum below zero is as NOT READY as zero). Bands: ≥90 READY, 75–89 ALMOST,
 * 50–74 NEEDS WORK, <50 NOT READY; any BLOCKER fail is NOT READY whatever the score. A check
 * missing from `checks` counts as a fail (never a silent pass); an unknown or repeated id is a bug.
 */
export function scoreSelfReview(
  checks: ReadonlyArray<{ id: string; result: CheckOutcome }>,
): SelfReviewScore {
  const results = new Map<string, CheckOutcome>();
  for (const check of checks) {
    if (rubricCheck(check.id) === undefined)
      throw new InvariantError(`Unknown self-review check "${check.id}"`);
    if (results.has(check.id)) throw new InvariantError(`Self-review check ${check.id} is scored twice`);
    results.set(check.id, check.result);
  }
  let points = 0;
  const blockerFailures: string[] = [];
  for (const row of RUBRIC) {
    const result = results.get(row.id) ?? 'fail';
    points += WEIGHTS[row.severity][result];
    if (row.severity === 'BLOCKER' && result === 'fail') blockerFailures.push(row.id);
  }
  const score = Math.round((100 * Math.max(0, points)) / MAX_POINTS);
  return { score, verdict: verdictOf(score, blockerFailures.length > 0), blockerFailures };
}

function verdictOf(score: number, blockerFailed: boolean): Verdict {
  if (blockerFailed || score < 50) return 'NOT READY';
  if (score >= 90) return 'READY';
  if (score >= 75) return 'ALMOST';
  return 'NEEDS WORK';
}

/** True when the verdict earns the `connector-self-reviewed` label: READY or ALMOST with no BLOCKER fail. */
export function isPassingVerdict(review: SelfReviewScore): boolean {
  return (review.verdict === 'READY' || review.verdict === 'ALMOST') && review.blockerFailures.length === 0;
}
