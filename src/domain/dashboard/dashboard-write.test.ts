import { describe, expect, it } from 'vitest';
import { DASHBOARD_TITLE } from '../render/dashboard-issue.js';
import { planDashboardWrite } from './dashboard-write.js';

const BODY = '<!-- lakeflow-connector-bot:dashboard -->\nruns';

describe('planDashboardWrite', () => {
  it('opens the dashboard when the repository has none', () => {
    expect(planDashboardWrite(null, BODY)).toEqual({ kind: 'create', title: DASHBOARD_TITLE, body: BODY });
  });

  it('edits the open dashboard when its body would change', () => {
    expect(planDashboardWrite({ number: 9, body: `${BODY} (old)`, open: true }, BODY)).toEqual({
      kind: 'edit',
      number: 9,
      body: BODY,
    });
  });

  it('writes nothing when the body would not change: every write is paced', () => {
    expect(planDashboardWrite({ number: 9, body: BODY, open: true }, BODY)).toEqual({
      kind: 'none',
      reason: 'unchanged',
    });
  });

  it('leaves a closed dashboard alone, even when it is out of date: closing it pauses it', () => {
    expect(planDashboardWrite({ number: 9, body: 'stale', open: false }, BODY)).toEqual({
      kind: 'none',
      reason: 'closed',
    });
  });
});
