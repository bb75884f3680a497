import { describe, expect, it } from 'vitest';
import { markBody } from '../../src/domain/render/markers.js';
import { renderStatusComment } from '../../src/domain/render/status-comment.js';
import { buildRun } from '../../test/helpers/build-run.js';
import { findMarked, gist, newestReply, runOf } from './bot-view.js';
import type { IssueComment } from './github-schemas.js';

const BOT = 'lakeflow-bot[bot]';
const REF = { owner: 'acme', repo: 'lakeflow-community-connectors', issue: 42 };

function comment(id: number, login: string, body: string): IssueComment {
  return { id, body, user: { login }, created_at: '2026-07-01T10:00:00Z' };
}

describe("reading the bot's comments", () => {
  const status = renderStatusComment(buildRun());

  it('reads the run from the status comment of the bot, whatever the case of its login', () => {
    const run = runOf([comment(1, 'Lakeflow-Bot[bot]', status)], BOT, REF);

    expect(run?.status.kind).toBe('awaiting_plan_approval');
  });

  it("never takes a marker written into someone else's comment", () => {
    const forged = [comment(1, 'mallory', status), comment(2, 'mallory', markBody('plan', 'Plan'))];

    expect(runOf(forged, BOT, REF)).toBeNull();
    expect(findMarked(forged, BOT, 'plan')).toBeUndefined();
  });

  it("ignores a status comment holding another issue's run", () => {
    expect(runOf([comment(1, BOT, status)], BOT, { ...REF, issue: 43 })).toBeNull();
  });

  it('finds the newest reply after a comment, by its reply- marker', () => {
    const comments = [
      comment(1, BOT, markBody('reply-delivery-a', 'old')),
      comment(5, 'maintainer', '/approve'),
      comment(6, BOT, markBody('summary-b1-research-a1', 'not a reply')),
      comment(7, BOT, markBody('reply-delivery-b', 'Only   people with\nwrite access <!-- x --> may.')),
    ];

    const reply = newestReply(comments, BOT, 5);

    expect(reply?.id).toBe(7);
    expect(reply && gist(reply)).toBe('Only people with write access may.');
    expect(newestReply(comments, BOT, 7)).toBeUndefined();
  });
});
