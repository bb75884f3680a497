import { isPassingVerdict } from '../review/score.js';
import type { RunEvent } from './events.js';
import type { Outcome } from './outcome.js';
import { headOf } from './progress.js';
import { addUsage, NO_USAGE, type Run } from './run.js';

type SelfReviewEvent = Extract<RunEvent, { type: 'self_review_completed' }>;

/**
 * A self-review finished. Its spend is charged to the run. For the current head it edits the sticky
 * comment and adds the self-reviewed label on a passing verdict (READY or ALMOST, no BLOCKER fail)
 * or removes it otherwise; a failed review says why in the comment and removes the label. A review
 * of a head the branch has moved past, or of a cancelled run, touches neither comment nor label.
 */
export function onSelfReviewCompleted(run: Run, event: SelfReviewEvent): Outcome {
  const charged = isZero(event.usage) ? run : { ...run, usage: addUsage(run.usage, event.usage) };
  if (event.headSha !== headOf(run) || run.status.kind === 'cancelled') {
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
  const label = run.settings.selfReviewedLabel;
  const passing = event.review.status === 'reviewed' && isPassingVerdict(event.review);
  return {
    run: charged,
    effects: [
      { type: 'post_self_review', batch: event.batch, headSha: event.headSha, review: event.review },
      { type: 'set_labels', add: passing ? [label] : [], remove: passing ? [] : [label] },
    ],
  };
}

function isZero(usage: SelfReviewEvent['usage']): boolean {
  return Object.entries(usage).every(([key, value]) => value === NO_USAGE[key as keyof typeof NO_USAGE]);
}
