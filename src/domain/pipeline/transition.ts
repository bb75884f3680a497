import { assertNever } from '../assert-never.js';
import { renderPullRequestBody } from '../render/status-comment.js';
import { answerPoint } from './answer-point.js';
import type { Effect } from './effects.js';
import type { RunEvent } from './events.js';
import { onCiCompleted } from './on-ci-completed.js';
import { onCommand } from './on-command.js';
import {
  onIssueClosed,
  onIssueReopened,
  onPullRequestClosed,
  onPullRequestReopened,
} from './on-lifecycle.js';
import { onRequestEdited, onReviewFeedback } from './on-other-events.js';
import { onSelfReviewCompleted } from './on-self-review.js';
import { onStageProgress } from './on-stage-progress.js';
import { applyHeldResults, onStageResult } from './on-stage-result.js';
import type { Outcome } from './outcome.js';
import { onVerificationCompleted } from './recheck.js';
import type { Run } from './run.js';

/**
 * The run engine: given a run and an event, the next run and the effects to carry out. Pure and
 * total: every event in every state yields an outcome; an event that cannot apply leaves the run
 * unchanged and says why (a reply for people, a log effect for stale job results).
 *
 * A changed run always ends with `sync_status`, so the status comment follows every change.
 */
export function transition(run: Run, event: RunEvent, now: string): Outcome {
  const outcome = applyHeldResults(dispatch(run, event));
  if (outcome.run === run) return outcome;
  const next = stampAnswerPoint(run, { ...outcome.run, updatedAt: now }, now);
  return { run: next, effects: [...outcome.effects, syncStatus(run, next)] };
}

/** The closing `sync_status`, saying whether the PR body (its number just learnt, or its text) changed. */
function syncStatus(before: Run, after: Run): Effect {
  const unchanged =
    before.pullRequest === after.pullRequest &&
    renderPullRequestBody(before) === renderPullRequestBody(after);
  return unchanged ? { type: 'sync_status', pullRequestBodyUnchanged: true } : { type: 'sync_status' };
}

/** Records when the run came to a new point a person answers (`statusSince`), for stale commands. */
function stampAnswerPoint(before: Run, after: Run, now: string): Run {
  const point = answerPoint(after.status);
  if (point === null || point === answerPoint(before.status)) return after;
  return { ...after, statusSince: now };
}

function dispatch(run: Run, event: RunEvent): Outcome {
  switch (event.type) {
    case 'command':
      return onCommand(run, event);
    case 'stage_succeeded':
    case 'stage_failed':
    case 'budget_exceeded':
      return onStageResult(run, event);
    case 'stage_progress':
      return onStageProgress(run, event);
    case 'ci_completed':
      return onCiCompleted(run, event);
    case 'verification_completed':
      return onVerificationCompleted(run, event);
    case 'request_edited':
      return onRequestEdited(run, event);
    case 'review_feedback':
      return onReviewFeedback(run, event);
    case 'self_review_completed':
      return onSelfReviewCompleted(run, event);
    case 'issue_closed':
      return onIssueClosed(run, event);
    case 'issue_reopened':
      return onIssueReopened(run, event);
    case 'pull_request_closed':
      return onPullRequestClosed(run, event);
    case 'pull_request_reopened':
      return onPullRequestReopened(run, event);
    case 'pull_request_linked':
      return run.pullRequest === event.number
        ? { run, effects: [] }
        : { run: { ...run, pullRequest: event.number }, effects: [] };
    default:
      return assertNever(event);
  }
}
