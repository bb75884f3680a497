import { deliveryJobId, type HandlerDeps, repoSettingsOf } from './handler-deps.js';
import { repoOf, type WorkflowRunPayload } from './payloads.js';

const RUN_KEY =
  /(?<key>[A-Za-z0-9._-]+-(?<issue>\d{1,9})-b\d+-[a-z_]+-a\d+-(?:simulate|live|auth|package))\s*$/;

/**
 * `workflow_run.completed` of the bot's workflow (the repository config's `workflow`): the run name
 * ends with the run key, which names the run's issue; the events worker checks the run really waits
 * for that key.
 */
export async function onWorkflowRun(
  deps: HandlerDeps,
  deliveryId: string,
  payload: WorkflowRunPayload,
): Promise<string> {
  const run = payload.workflow_run;
  const match = RUN_KEY.exec(run.display_title ?? run.name ?? '');
  if (!match?.groups?.key || !match.groups.issue) return 'ignored_no_run_key';
  // Only a run that carries a run key costs a config read: the repository's own workflows do not.
  const { workflow } = await repoSettingsOf(deps, repoOf(payload));
  if (!run.path.endsWith(`/${workflow}`)) return 'ignored_other_workflow';
  await deps.jobs.enqueueEvent(deliveryJobId(deliveryId), {
    kind: 'workflow_run',
    ref: { ...repoOf(payload), issue: Number(match.groups.issue) },
    runKey: match.groups.key,
    runId: run.id,
    conclusion: run.conclusion,
    url: run.html_url,
  });
  return 'enqueued';
}
