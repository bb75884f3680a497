import { isPassingVerdict } from '../review/score.js';
import type { RunEvent } from './events.js';
import type { Outcome } from './outcome.js';
import { headOf } from './progress.js';
import { addUsage, NO_USAGE, type Run } from './run.js';

type SelfReviewEvent = Extract<RunEvent, { type: 'self_review_completed' }>;

/**
 * A self-review finished. Its spend is charged to the run. For the current head it edits the sticky
 * comment and adds the self-reviewed label on a passing verdict (READY or ALMOST, no BLOCKER fail)
 * or removes it otherwise; a failed review says why in the comment and removes the label. The
 * review the run queued last, ending after the branch moved on (the next batch approved
 * meanwhile), is still posted, saying so, and leaves the label to the next review. A review of any
 * other old head, or of a cancelled run, touches nothing.
 */
export function onSelfReviewCompleted(run: Run, event: SelfReviewEvent): Outcome {
  const charged = isZero(event.usage) ? run : { ...run, usage: addUsage(run.usage, event.usage) };
  const current = event.headSha === headOf(run);
  if (run.status.kind === 'cancelled' || (!current && !isLastRequested(run, event))) {
    return {
      run: charged,
      effects: [
        {
          type: 'log',
          level: 'warn',
          message: 'Ignored a self-review of a head the run has moved past',
          details: { headSha: event.headSha, head: headOf(run), status: run.status.kind },
        },
      ],
    };
  }
  const post = {
    type: 'post_self_review' as const,
    batch: event.batch,
    headSha: event.headSha,
    review: event.review,
  };
  if (!current) return { run: charged, effects: [{ ...post, late: true }] };
  const label = run.settings.selfReviewedLabel;
  const passing = event.review.status === 'reviewed' && isPassingVerdict(event.review);
  return {
    run: charged,
    effects: [post, { type: 'set_labels', add: passing ? [label] : [], remove: passing ? [] : [label] }],
  };
}

function isLastRequested(run: Run, event: SelfReviewEvent): boolean {
  const requested = run.selfReviewRequested;
  return requested !== undefined && requested.batch === event.batch && requested.headSha === event.headSha;
}

function isZero(usage: SelfReviewEvent['usage']): boolean {
  return Object.entries(usage).every(([key, value]) => value === NO_USAGE[key as keyof typeof NO_USAGE]);
}
