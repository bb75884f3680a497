import type { LocalNotice } from '../../adapters/local/local-git-github.js';
import { assertNever } from '../../domain/assert-never.js';

/**
 * What the terminal shows for a notice of the local GitHub: every comment except the status one
 * (the progress lines say the same, shorter), with the hidden markers removed; the PR stand-in
 * being recorded and marked ready. Check runs return `null`: the progress lines already say when a
 * stage starts and ends, and the record file keeps them.
 */
export function renderNotice(notice: LocalNotice): string | null {
  switch (notice.kind) {
    case 'comment': {
      if (notice.key === 'status') return null;
      const body = notice.body.replace(/<!--[\s\S]*?-->/g, '').trim();
      return `\n── ${notice.key} ──\n${body}\n`;
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
