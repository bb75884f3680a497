import { describe, expect, it } from 'vitest';
import { buildGateRun, buildRun } from '../../../test/helpers/build-run.js';
import { renderStatusReply } from './status-reply.js';

describe('renderStatusReply', () => {
  it('says where a new plan stands', () => {
    const body = renderStatusReply(buildRun());

    expect(body).toMatchInlineSnapshot(`
      "the \`acme_crm\` run is waiting for \`/approve\` of the plan (batch 1, spent $0.00 of $25.00).
      Commands now: \`/approve\` · \`/revise <changes>\` · \`/cancel\` · \`/help\` lists them all."
    `);
  });

  it('says where a run at a gate stands, with its PR and spend', () => {
    const body = renderStatusReply(buildGateRun());

    expect(body).toMatchInlineSnapshot(`
      "the \`acme_crm\` run is waiting for \`/approve\` after *implement* (batch 1 of 2, PR #57, spent $2.94 of $25.00).
      Commands now: \`/approve\` · \`/revise <feedback>\` · \`/restart <phase>\` · \`/cancel\` · \`/help\` lists them all."
    `);
  });

  it('says a cancelled run takes no command', () => {
    const body = renderStatusReply(buildGateRun({ status: { kind: 'cancelled', by: 'octocat' } }));

    expect(body).toMatchInlineSnapshot(`
      "the \`acme_crm\` run is cancelled by octocat (batch 1 of 2, PR #57, spent $2.94 of $25.00).
      No command applies now: the run was cancelled. Open a new issue to start again."
    `);
  });
});
