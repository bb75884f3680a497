import { planDashboardWrite } from '../domain/dashboard/dashboard-write.js';
import { DASHBOARD_KEY, DASHBOARD_ROWS, renderDashboardIssue } from '../domain/render/dashboard-issue.js';
import { markBody } from '../domain/render/markers.js';
import { redactSecrets } from '../domain/sanitize/secret-scan.js';
import { ConfigError } from '../errors.js';
import type { EventJob } from './event-job.js';
import type { WorkerDeps } from './worker-deps.js';

type DashboardJob = Extract<EventJob, { kind: 'dashboard' }>;

/** Runs read for the dashboard besides the active ones: enough to find the finished ones it lists. */
const RECENT_RUNS = DASHBOARD_ROWS.finished + DASHBOARD_ROWS.open;

/**
 * Brings the repository's dashboard issue up to date with its runs, in at most one write: opened
 * when missing, edited when its body would change, left alone when closed (`planDashboardWrite`).
 * Nothing happens when the process keeps no dashboard, when the repository's config turns it off
 * (or is invalid: the runs' issues report that; the dashboard waits for a valid file), or when the
 * repository has no run. Returns the outcome for the job's log line.
 */
export async function onDashboardJob(deps: WorkerDeps, job: DashboardJob): Promise<string> {
  if (deps.dashboard === undefined) return 'dashboard_off';
  const github = deps.github(job.repo);
  try {
    if (!(await deps.dashboard.enabled(github))) return 'dashboard_disabled';
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    deps.log.warn(
      { repo: `${job.repo.owner}/${job.repo.repo}` },
      'Repository config is invalid; the dashboard issue is left as it is',
    );
    return 'dashboard_config_invalid';
  }
  const runs = await deps.store.listRuns(job.repo, { recent: RECENT_RUNS });
  if (runs.length === 0) return 'dashboard_no_runs';
  const body = markBody(DASHBOARD_KEY, redactSecrets(renderDashboardIssue(runs)));
  const write = planDashboardWrite(await github.findOwnIssue(DASHBOARD_KEY), body);
  switch (write.kind) {
    case 'create':
      await github.createIssue({ key: DASHBOARD_KEY, title: write.title, body: write.body });
      return 'dashboard_created';
    case 'edit':
      await github.editIssueBody({ number: write.number, body: write.body });
      return 'dashboard_edited';
    case 'none':
      return `dashboard_${write.reason}`;
  }
}
