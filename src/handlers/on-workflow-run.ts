import { DISPATCH_EVENT } from '../domain/ci/ci-run-match.js';
import { runKeyOfTitle } from '../domain/ci/run-key-of-title.js';
import { deliveryJobId, type HandlerDeps } from './handler-deps.js';
import { repoOf, type WorkflowRunPayload } from './payloads.js';

/**
 * `workflow_run.completed` whose run name ends with a run key (`runKeyOfTitle`), which names the
 * run's issue. A run not started by `workflow_dispatch` (a push or a pull request can carry any name)
 * is ignored here; the events worker checks that it is the repository config's `workflow` and that
 * the run waits for that key on that branch and head commit before it reads anything.
 */
export async function onWorkflowRun(
  deps: HandlerDeps,
  deliveryId: string,
  payload: WorkflowRunPayload,
): Promise<string> {
  const run = payload.workflow_run;
  const named = runKeyOfTitle(run.display_title ?? run.name ?? '');
  if (named === null) return 'ignored_no_run_key';
  if (run.event !== DISPATCH_EVENT) {
    deps.log.info(
      { deliveryId, runId: run.id, runKey: named.key, event: run.event ?? null },
      'Ignored a workflow run named like a run key but not started by workflow_dispatch',
    );
    return 'ignored_not_dispatched';
  }
  await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
    kind: 'workflow_run',
    ref: { ...repoOf(payload), issue: named.issue },
    runKey: named.key,
    runId: run.id,
    conclusion: run.conclusion,
    url: run.html_url,
    headBranch: run.head_branch,
    headSha: run.head_sha ?? null,
    event: run.event,
    workflowPath: run.path.slice(0, 500),
  });
  return 'enqueued';
}
