import type { Severity } from '../review/rubric.js';
import { REVIEW_SECTIONS, type ReviewSection, rubricCheck } from '../review/rubric.js';
import type { CheckOutcome, ScoredCheck, SelfReviewOutcome } from '../review/schema.js';
import { isPassingVerdict } from '../review/score.js';
import { shortPath } from '../target-repo/connector-paths.js';
import { code, commitLink, escapeCell } from './format.js';

const RESULT_MARKS: Readonly<Record<CheckOutcome, string>> = {
  pass: '✅ pass',
  warn: '⚠️ warn',
  fail: '❌ fail',
};
const SEVERITY_SHORT: Readonly<Record<Severity, string>> = { BLOCKER: 'B', MAJOR: 'MAJ', MINOR: 'MIN' };

/** What the sticky self-review comment shows. */
export interface SelfReviewCommentParams {
  source: string;
  repoUrl: string;
  batch: number;
  /** The commit that was reviewed. */
  headSha: string;
  /** The label a passing verdict earns. */
  label: string;
  review: SelfReviewOutcome;
  /** The branch moved past `headSha` before the review ended: the label is left to the next review. */
  late?: boolean;
}

/**
 * The sticky self-review comment on the PR (one per run, edited on re-runs): score and verdict, the
 * label decision, the top recommendations and a findings table per rubric section. Its first line
 * is the marker the repository's own `self-review-connector` tooling looks for. Findings come from
 * the model, so every cell is escaped (no HTML, no table breaks).
 */
export function renderSelfReviewComment(params: SelfReviewCommentParams): string {
  const { review } = params;
  const head = `${commitLink(params.repoUrl, params.headSha)} (batch ${params.batch})`;
  const lines = [`<!-- connector-self-review:${params.source} -->`];
  if (review.status === 'failed') {
    lines.push(
      `### Self-review of ${code(params.source)}: not completed`,
      '',
      `The self-review of ${head} could not be completed: ${escapeCell(review.reason, 1_000)}`,
      '',
      `The ${code(params.label)} label is not added. Nothing else waits on the review; it runs again after the next package build.`,
    );
    return lines.join('\n');
  }
  const passing = isPassingVerdict(review);
  const blockers = review.blockerFailures.length;
  lines.push(
    `### Self-review of ${code(params.source)}: ${review.verdict} (${review.score}/100)`,
    '',
    `Reviewed ${head} with the repository's rubric (\`self-review-connector\`, ${review.checks.length} checks). ` +
      (params.late === true
        ? `The branch has moved past this commit since, so the ${code(params.label)} label is left to the review of the next package build.`
        : passing
          ? `Label ${code(params.label)} added.`
          : `Label ${code(params.label)} not added${blockers > 0 ? `: ${blockers} BLOCKER check(s) fail` : ''}.`),
    'The bot computes the score from the per-check results; checks marked 🤖 were decided from the files by the bot itself.',
  );
  if (review.recommendations.length > 0) {
    lines.push('', '**Top recommendations**', '');
    lines.push(...review.recommendations.map((text, index) => `${index + 1}. ${escapeCell(text, 500)}`));
  }
  for (const section of Object.keys(REVIEW_SECTIONS) as ReviewSection[]) {
    const checks = review.checks.filter((check) => rubricCheck(check.id)?.section === section);
    if (checks.length === 0) continue;
    lines.push('', `**${section}. ${REVIEW_SECTIONS[section]}** (${tally(checks)})`, '');
    lines.push('| # | Sev | Result | Finding |', '|---|---|---|---|');
    lines.push(...checks.map(renderRow));
  }
  return lines.join('\n');
}

function tally(checks: readonly ScoredCheck[]): string {
  const count = (result: CheckOutcome) => checks.filter((check) => check.result === result).length;
  return `${count('pass')} pass, ${count('warn')} warn, ${count('fail')} fail`;
}

function renderRow(check: ScoredCheck): string {
  const severity = rubricCheck(check.id)?.severity ?? 'MINOR';
  const by = check.by === 'bot' ? ' 🤖' : '';
  const where = check.citation === null ? '' : ` (${code(shortPath(check.citation))})`;
  return `| ${check.id} | ${SEVERITY_SHORT[severity]} | ${RESULT_MARKS[check.result]}${by} | ${escapeCell(check.finding)}${where} |`;
}
