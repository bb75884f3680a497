import { describe, expect, it } from 'vitest';
import { buildGateRun, buildRun, buildStageRecord, buildUsage } from '../../../test/helpers/build-run.js';
import type { Run } from '../pipeline/run.js';
import { DASHBOARD_MAX_CHARS, DASHBOARD_ROWS, renderDashboardIssue } from './dashboard-issue.js';
import { hasMarker } from './markers.js';

function runAt(issue: number, overrides: Partial<Run> = {}): Run {
  const base = buildRun();
  return buildRun({ ref: { ...base.ref, issue }, ...overrides });
}

const DONE = runAt(30, {
  source: 'old_crm',
  status: { kind: 'done' },
  pullRequest: 31,
  pullRequestClosed: 'merged',
  usage: buildUsage(7.5),
  updatedAt: '2026-06-20T08:00:00.000Z',
});

const RUNNING = runAt(50, {
  source: 'ticket_desk',
  status: { kind: 'running', stage: 'research' },
  batch: {
    ...buildRun().batch,
    stages: {
      ...buildRun().batch.stages,
      research: buildStageRecord({ state: 'running', live: { attempt: 1, usage: buildUsage(0.4) } }),
    },
  },
  updatedAt: '2026-07-01T10:40:12.345Z',
});

describe('renderDashboardIssue', () => {
  it('lists open runs first, then finished ones, each with its links, state, phase, spend and update', () => {
    const body = renderDashboardIssue([DONE, buildGateRun(), RUNNING]);

    expect(body).toMatchInlineSnapshot(`
      "<!-- lakeflow-connector-bot:dashboard -->
      Every Lakeflow connector run of this repository, as the bot last recorded it. The bot edits this issue in place a little after a run changes; each run’s status comment on its own issue has the details.

      ### Open runs (2)

      | run | source | state | phase | spent of budget | PR | updated |
      |---|---|---|---|---|---|---|
      | [#50](https://github.com/acme/lakeflow-community-connectors/issues/50) | \`ticket_desk\` | ⏳ running *research* | research · batch 1 | $0.40 of $25.00 | — | 2026-07-01 10:40 UTC |
      | [#42](https://github.com/acme/lakeflow-community-connectors/issues/42) | \`acme_crm\` | ⏸ waiting for \`/approve\` after *implement* | implement · batch 1 of 2 | $2.94 of $25.00 | [#57](https://github.com/acme/lakeflow-community-connectors/pull/57) | 2026-07-01 10:30 UTC |

      ### Recently finished

      | run | source | state | phase | spent of budget | PR | updated |
      |---|---|---|---|---|---|---|
      | [#30](https://github.com/acme/lakeflow-community-connectors/issues/30) | \`old_crm\` | ✅ complete | batch 1 | $7.50 of $25.00 | [#31](https://github.com/acme/lakeflow-community-connectors/pull/31) merged | 2026-06-20 08:00 UTC |

      ---
      Close this issue to stop these updates; reopen it to have them again. To turn the dashboard off for this repository, set \`dashboard: false\` in \`.github/lakeflow-connector-bot.yml\`."
    `);
  });

  it('starts with its marker and says so when nothing is open or finished', () => {
    const open = renderDashboardIssue([runAt(7)]);
    const finished = renderDashboardIssue([DONE]);

    expect(hasMarker(open, 'dashboard')).toBe(true);
    expect(open).toContain('| plan |');
    expect(open).toContain('No run has finished yet.');
    expect(finished).toContain('### Open runs (0)\n\nNo run is open.');
  });

  it('renders the same runs to the same body, in whatever order they come', () => {
    const runs = [DONE, buildGateRun(), RUNNING];

    expect(renderDashboardIssue([...runs].reverse())).toBe(renderDashboardIssue(runs));
  });

  it('shows the phase a run waits at or stopped in', () => {
    const row = (status: Run['status']) =>
      renderDashboardIssue([runAt(9, { status })])
        .split('\n')
        .find((line) => line.startsWith('| [#9]'));

    expect(row({ kind: 'failed', stage: 'test', reason: 'red' })).toContain(
      '| ✗ failed in *test & fix* | test & fix · batch 1 |',
    );
    expect(row({ kind: 'awaiting_credentials', headSha: null, lastCheck: 'none' })).toContain(
      '| auth · batch 1 |',
    );
    expect(row({ kind: 'awaiting_approval', gate: { kind: 'next_batch' }, headSha: null })).toContain(
      '| package · batch 1 |',
    );
    expect(row({ kind: 'cancelled', by: 'alice' })).toContain('| ✗ cancelled by alice | — |');
  });

  it('makes text from outside the bot inert in its cell', () => {
    const hostile = runAt(9, {
      status: {
        kind: 'cancelled',
        by: 'x | <!-- lakeflow-connector-bot:dashboard --> <img src=y>\nnext line',
      },
    });

    const row = renderDashboardIssue([hostile])
      .split('\n')
      .find((line) => line.startsWith('| [#9]'));

    expect(row).toContain(
      'cancelled by x \\| &lt;!-- lakeflow-connector-bot:dashboard --&gt; &lt;img src=y&gt; next line',
    );
    expect(row?.split(' | ')).toHaveLength(7);
  });

  it(`lists at most ${DASHBOARD_ROWS.finished} finished runs, the most recently updated, and counts every open one`, () => {
    const finished = Array.from({ length: 30 }, (_, index) =>
      runAt(100 + index, {
        status: { kind: 'done' },
        updatedAt: new Date(Date.parse('2026-07-01T00:00:00Z') + index * 60_000).toISOString(),
      }),
    );
    const open = Array.from({ length: DASHBOARD_ROWS.open + 3 }, (_, index) => runAt(200 + index));

    const body = renderDashboardIssue([...finished, ...open]);
    const listed = (from: number, to: number) =>
      [...body.matchAll(/^\| \[#(\d+)\]/gm)]
        .map((match) => Number(match[1]))
        .filter((n) => n >= from && n < to);

    expect(listed(100, 200)).toEqual(
      Array.from({ length: DASHBOARD_ROWS.finished }, (_, index) => 129 - index),
    );
    expect(listed(200, 300)).toHaveLength(DASHBOARD_ROWS.open);
    expect(listed(200, 300)[0]).toBe(200 + DASHBOARD_ROWS.open + 2);
    expect(body).toContain(`### Open runs (${DASHBOARD_ROWS.open + 3})`);
    expect(body).toContain('…and 3 older open runs, not listed here.');
  });

  it('stays within what GitHub takes for an issue body with every cell at its longest', () => {
    // The longest repository URL a run holds, and a cancelling login longer than a cell takes.
    const repoUrl = `https://github.example/${'o'.repeat(130)}/${'r'.repeat(146)}`;
    const many = Array.from({ length: 100 }, (_, index) =>
      runAt(1000 + index, {
        repoUrl,
        pullRequest: 5000 + index,
        status:
          index < 40
            ? { kind: 'cancelled', by: 'x'.repeat(400) }
            : { kind: 'awaiting_credentials', headSha: null, lastCheck: 'failed' },
      }),
    );

    expect(renderDashboardIssue(many).length).toBeLessThanOrEqual(DASHBOARD_MAX_CHARS);
  });

  it('drops finished rows first, then the oldest open ones, to fit', () => {
    const runs = [
      ...[1, 2, 3].map((issue) => runAt(issue, { status: { kind: 'done' } })),
      ...[4, 5, 6].map((issue) => runAt(issue)),
    ];
    const full = renderDashboardIssue(runs);
    const openOnly = renderDashboardIssue(runs.slice(3));
    const listed = (body: string) => [...body.matchAll(/^\| \[#(\d+)\]/gm)].map((match) => Number(match[1]));

    const withoutFinished = renderDashboardIssue(runs, openOnly.length);
    const withTwoOpen = renderDashboardIssue(runs, openOnly.length - 1);

    expect(listed(full)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(listed(withoutFinished)).toEqual([6, 5, 4]);
    expect(listed(withTwoOpen)).toEqual([6, 5]);
    expect(withTwoOpen).toContain('…and 1 older open runs, not listed here.');
  });

  it('never fails on a run whose update time does not parse', () => {
    expect(renderDashboardIssue([runAt(9, { updatedAt: 'yesterday' })])).toContain('| — |');
  });
});
