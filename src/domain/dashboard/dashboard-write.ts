import { DASHBOARD_TITLE } from '../render/dashboard-issue.js';

/** The dashboard issue as found on GitHub (the bot's own, by its marker). */
export interface FoundDashboard {
  number: number;
  body: string;
  /** False once someone closed it: the dashboard is paused until it is reopened. */
  open: boolean;
}

/** The one write a dashboard refresh makes, if any, and why none. */
export type DashboardWrite =
  | { kind: 'create'; title: string; body: string }
  | { kind: 'edit'; number: number; body: string }
  | { kind: 'none'; reason: 'closed' | 'unchanged' };

/**
 * What a dashboard refresh writes, given the issue found (or `null`) and the body the runs render
 * to now: open the issue when there is none, leave a closed one alone (closing it pauses the
 * dashboard), and edit an open one only when its body would change, since every write is paced.
 */
export function planDashboardWrite(found: FoundDashboard | null, body: string): DashboardWrite {
  if (found === null) return { kind: 'create', title: DASHBOARD_TITLE, body };
  if (!found.open) return { kind: 'none', reason: 'closed' };
  if (found.body === body) return { kind: 'none', reason: 'unchanged' };
  return { kind: 'edit', number: found.number, body };
}
