import { InvariantError } from '../errors.js';
import { runLogId } from '../logging.js';
import { applyRunEvent } from './apply-run-event.js';
import { checkAccess } from './check-access.js';
import { EventJob } from './event-job.js';
import { isFromRunPullRequest, loadOrRebuild } from './load-or-rebuild.js';
import { onCiPollJob } from './on-ci-poll-job.js';
import { onCommandJob } from './on-command-job.js';
import { onCredentialsWarningJob } from './on-credentials-warning-job.js';
import { onDashboardJob } from './on-dashboard-job.js';
import { onIssueRequest } from './on-issue-request.js';
import { onWorkflowRunJob } from './on-workflow-run-job.js';
import { runEffects } from './run-effects.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * The `events` queue processor: the only writer of run state. Parses the job data (Redis may hold
 * what an older deploy wrote), checks what the webhook handlers left unchecked (`checkAccess`), takes
 * the run's lock and applies the event.
 */
export async function processEventJob(deps: WorkerDeps, jobId: string, data: unknown): Promise<string> {
  const parsed = EventJob.safeParse(data);
  if (!parsed.success)
    throw new InvariantError(`Event job ${jobId} has invalid data: ${parsed.error.message}`);
  const checked = await checkAccess(deps, parsed.data);
  if ('outcome' in checked) return checked.outcome;
  const { job } = checked;
  if (job.kind === 'credentials_warning') return onCredentialsWarningJob(deps, job);
  if (job.kind === 'dashboard') return onDashboardJob(deps, job);
  if (job.kind === 'reply') {
    const target = { kind: 'issue' as const, number: job.ref.issue };
    await runEffects(deps, { ref: job.ref, run: null }, [
      { type: 'reply', key: job.key, target, body: job.body },
    ]);
    return 'replied';
  }
  return deps.store.withLock(job.ref, async () => {
    switch (job.kind) {
      case 'issue_request':
        return onIssueRequest(deps, jobId, job);
      case 'command':
        return onCommandJob(deps, job);
      case 'workflow_run':
        return onWorkflowRunJob(deps, jobId, job);
      case 'ci_poll':
        return onCiPollJob(deps, jobId, job);
      case 'rebuild': {
        const stored = await loadOrRebuild(deps, job.ref);
        return stored === null ? 'no_run' : 'loaded';
      }
      case 'run_event': {
        const stored = await loadOrRebuild(deps, job.ref);
        if (stored === null || !isFromRunPullRequest(stored.run.pullRequest, job.viaPullRequest)) {
          deps.log.warn(
            { jobId, run: runLogId(job.ref), event: job.event.type },
            'Event for a run that does not exist',
          );
          return 'no_run';
        }
        return applyRunEvent(deps, job.ref, job.event, stored);
      }
    }
  });
}
