import type { RunRef } from '../../src/domain/pipeline/run.js';
import { parseStateMarker, renderMarker } from '../../src/domain/render/markers.js';
import { BOT, type ChaosWorld, MAINTAINER } from './world.js';

/** How one run ended for the maintainer who drove it. */
export interface PilotOutcome {
  repo: string;
  end: 'done' | 'failed' | 'stuck';
  /** For a failed run: whether the status comment says why (the maintainer's reply). */
  failedWithReply: boolean;
  detail: string;
  /** Commands the maintainer had to send again because nothing moved. */
  manual: number;
  /** Commands written for a point the run then left, delivered after it moved on. */
  lateSent: number;
  /** Of those, how many got a reply (and changed nothing). */
  lateAnswered: number;
  /** Gates the maintainer answered (each phase but the last ends at one). */
  gates: number;
}

export interface PilotOptions {
  /** Also write a second `/approve` at each gate and deliver it once the run has moved on. */
  lateCommands?: boolean;
  /** Deliver every command twice, the copy after a random delay (GitHub's at-least-once delivery). */
  duplicateDeliveries?: boolean;
  /** No change to the status comment for this long: the maintainer sends the answer again (manual). */
  resendAfterMs: number;
  /** No change for this long: the run is stuck. */
  stuckAfterMs: number;
  random: () => number;
  /** How often the maintainer looks at the status comment (default 250 ms). */
  pollMs?: number;
  /** Stop driving at this time (`Date.now()`), the run counted as not ended (a benchmark's window). */
  deadline?: number;
}

const STATUS_MARKER = renderMarker('status');
let deliveries = 0;

/** The body of the bot's status comment on `ref`'s issue, as GitHub shows it now ('' before there is one). */
export function statusCommentBody(world: ChaosWorld, ref: RunRef): string {
  return (
    world.github
      .comments(ref.owner, ref.repo, ref.issue)
      .find((comment) => comment.user === BOT && comment.body.startsWith(STATUS_MARKER))?.body ?? ''
  );
}

/**
 * Drives one run as its maintainer would, from what GitHub shows: reads the state marker of the
 * bot's status comment, answers each gate once (`/approve`, `/skip-auth` at the credentials gate)
 * and waits; ends when the run is done or failed, or when nothing has moved for `stuckAfterMs`.
 */
export async function pilotRun(world: ChaosWorld, ref: RunRef, options: PilotOptions): Promise<PilotOutcome> {
  const { github } = world;
  const outcome: PilotOutcome = {
    repo: ref.repo,
    end: 'stuck',
    failedWithReply: false,
    detail: '',
    manual: 0,
    lateSent: 0,
    lateAnswered: 0,
    gates: 0,
  };
  const answered = new Set<string>();
  const late: Array<{ point: string; deliveryId: string; commentId: number; sent: boolean }> = [];
  let lastBody = '';
  let lastChange = Date.now();
  let lastSent = 0;

  async function deliver(commentId: number, deliveryId: string): Promise<void> {
    const payload = github.issueCommentCreatedPayload({
      owner: ref.owner,
      repo: ref.repo,
      issue: ref.issue,
      commentId,
    });
    await github.sendWebhook('issue_comment', payload, { id: deliveryId }).catch(() => 0);
    if (options.duplicateDeliveries) {
      const delay = Math.floor(options.random() * 3_000);
      setTimeout(
        () => void github.sendWebhook('issue_comment', payload, { id: deliveryId }).catch(() => 0),
        delay,
      );
    }
  }

  async function say(body: string): Promise<{ deliveryId: string; commentId: number }> {
    deliveries += 1;
    const deliveryId = `chaos-${world.prefix}-${deliveries}`;
    const comment = github.addComment({
      owner: ref.owner,
      repo: ref.repo,
      issue: ref.issue,
      body,
      user: MAINTAINER,
    });
    await deliver(comment.id, deliveryId);
    return { deliveryId, commentId: comment.id };
  }

  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
    const body = statusCommentBody(world, ref);
    if (body !== lastBody) {
      lastBody = body;
      lastChange = Date.now();
    }
    const run = parseStateMarker(body);
    const kind = run?.status.kind;
    const point =
      run === null
        ? null
        : `${run.status.kind}:${run.batch.number}:${JSON.stringify('gate' in run.status ? run.status.gate : '')}:${run.statusSince ?? ''}`;

    for (const command of late.filter((item) => item.point !== point && !item.sent)) {
      command.sent = true;
      outcome.lateSent += 1;
      await deliver(command.commentId, command.deliveryId);
    }
    if (kind === 'done' || kind === 'failed') {
      outcome.end = kind;
      // A failed run's status comment says what failed and offers `/retry`.
      outcome.failedWithReply = kind === 'failed' && body.includes('/retry');
      outcome.detail = run?.status.kind === 'failed' ? run.status.reason : '';
      outcome.gates = answered.size;
      break;
    }
    const answer =
      kind === 'awaiting_plan_approval' || kind === 'awaiting_approval'
        ? '/approve'
        : kind === 'awaiting_credentials'
          ? '/skip-auth'
          : null;
    if (answer !== null && point !== null && !answered.has(point)) {
      answered.add(point);
      lastSent = Date.now();
      await say(answer);
      if (options.lateCommands && answer === '/approve') {
        deliveries += 1;
        const comment = github.addComment({
          owner: ref.owner,
          repo: ref.repo,
          issue: ref.issue,
          body: '/approve',
          user: MAINTAINER,
        });
        late.push({
          point,
          deliveryId: `chaos-${world.prefix}-${deliveries}-late`,
          commentId: comment.id,
          sent: false,
        });
      }
    } else if (answer !== null && Date.now() - Math.max(lastChange, lastSent) > options.resendAfterMs) {
      outcome.manual += 1;
      lastSent = Date.now();
      await say(answer);
    }
    if (options.deadline !== undefined && Date.now() > options.deadline) {
      outcome.detail = `still ${kind ?? 'without a status comment'} when the window closed`;
      break;
    }
    if (Date.now() - lastChange > options.stuckAfterMs) {
      outcome.detail = `no change for ${Math.round(options.stuckAfterMs / 1000)} s at ${kind ?? 'no status comment'}`;
      break;
    }
  }
  // Replies wait behind GitHub's write pacing and the run lock: give the late ones two minutes.
  const answeredNow = () => {
    const replies = github.comments(ref.owner, ref.repo, ref.issue).filter((comment) => comment.user === BOT);
    return late.filter(
      (command) =>
        command.sent &&
        replies.some((reply) => reply.body.startsWith(renderMarker(`reply-delivery-${command.deliveryId}`))),
    ).length;
  };
  const deadline = Date.now() + 120_000;
  while (answeredNow() < outcome.lateSent && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  outcome.lateAnswered = answeredNow();
  return outcome;
}
