import type { SelfReviewCommentParams } from '../../../domain/render/self-review-comment.js';
import { REVIEW_SECTIONS, type ReviewSection, rubricCheck } from '../../../domain/review/rubric.js';
import type { CheckOutcome, ScoredCheck } from '../../../domain/review/schema.js';
import { isPassingVerdict } from '../../../domain/review/score.js';
import { batchSuffix, indent, shortSha } from './text-format.js';

const MARKS: Readonly<Record<CheckOutcome, string>> = { pass: '✓ pass', warn: '! warn', fail: '✗ fail' };

/**
 * The self-review for the terminal, from the same outcome as the sticky comment: verdict and score,
 * the label decision, the recommendations, and per rubric section its tally with every check that
 * did not pass (id, severity, finding, file). Passing checks are counted, not listed.
 */
export function renderSelfReviewText(params: SelfReviewCommentParams): string {
  const { review } = params;
  const head = `commit ${shortSha(params.headSha)}${batchSuffix(params.batch)}`;
  if (review.status === 'failed') {
    return [
      `Self-review of ${params.source}: not completed · ${head}`,
      ...indent([
        review.reason,
        `The ${params.label} label is not added; the review runs again after the next package build.`,
      ]),
    ].join('\n');
  }
  const blockers = review.blockerFailures.length;
  const label =
    params.late === true
      ? `The branch has moved past this commit: the ${params.label} label is left to the next review.`
      : isPassingVerdict(review)
        ? `Label ${params.label} added.`
        : `Label ${params.label} not added${blockers > 0 ? `: ${blockers} BLOCKER check(s) fail` : ''}.`;
  const lines = [
    `${review.checks.length} checks of the repository's rubric (self-review-connector); the score is computed from them. ${label}`,
    ...(review.recommendations.length > 0
      ? ['Top recommendations:', ...review.recommendations.map((text, index) => `  ${index + 1}. ${text}`)]
      : []),
  ];
  for (const section of Object.keys(REVIEW_SECTIONS) as ReviewSection[]) {
    const checks = review.checks.filter((check) => rubricCheck(check.id)?.section === section);
    if (checks.length === 0) continue;
    lines.push(`${section}. ${REVIEW_SECTIONS[section]} (${tally(checks)})`);
    lines.push(
      ...checks.filter((check) => check.result !== 'pass').map((check) => `  ${renderCheck(check)}`),
    );
  }
  return [
    `Self-review of ${params.source}: ${review.verdict} (${review.score}/100) · ${head}`,
    ...indent(lines),
  ].join('\n');
}

function tally(checks: readonly ScoredCheck[]): string {
  const count = (result: CheckOutcome) => checks.filter((check) => check.result === result).length;
  return `${count('pass')} pass, ${count('warn')} warn, ${count('fail')} fail`;
}

function renderCheck(check: ScoredCheck): string {
  const severity = rubricCheck(check.id)?.severity ?? 'MINOR';
  const by = check.by === 'bot' ? ' (decided from the files)' : '';
  const where = check.citation === null ? '' : ` (${check.citation})`;
  return `${MARKS[check.result]} ${check.id} ${severity}${by}: ${check.finding.replace(/\s+/g, ' ').trim()}${where}`;
}
