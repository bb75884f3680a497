import type { LocalNotice } from '../../adapters/local/local-git-github.js';
import { assertNever } from '../../domain/assert-never.js';

/** The hidden first line every bot comment carries (`markBody`): how the record finds it again. */
const LEADING_MARKER = /^<!-- lakeflow-connector-bot:[a-z0-9_.-]+ -->\n?/;

/**
 * What the terminal shows for a notice of the local GitHub: every comment except the status one
 * (the progress lines say the same, shorter), as the terminal renderers wrote it, after a blank
 * line and without its marker line; the PR stand-in being recorded and marked ready. Check runs
 * return `null`: the progress lines already say when a stage starts and ends, and the record file
 * keeps them.
 */
export function renderNotice(notice: LocalNotice): string | null {
  switch (notice.kind) {
    case 'comment': {
      if (notice.key === 'status') return null;
      const body = notice.body.replace(LEADING_MARKER, '').trim();
      return notice.key.startsWith('reply-') ? body : `\n${body}\n`;
    }
    case 'pull_request_opened':
      return `Recorded the draft pull request for branch ${notice.branch} (local mode: nothing is pushed; push the branch and open the PR yourself).`;
    case 'pull_request_ready': {
      const reviewers =
        notice.reviewers.length > 0 ? ` Configured reviewers: ${notice.reviewers.join(', ')}.` : '';
      return `Branch ${notice.branch} is ready for review.${reviewers}`;
    }
    case 'check_run':
      return null;
    default:
      return assertNever(notice);
  }
}
