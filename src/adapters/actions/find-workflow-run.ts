import { z } from 'zod';
import { ciRunMismatch, DISPATCH_EVENT, type ExpectedCiRun } from '../../domain/ci/ci-run-match.js';
import { InvariantError } from '../../errors.js';
import type { CiRunInfo } from '../../ports/ci.js';
import type { ActionsClient } from './actions-client.js';
import { isRunOfKey } from './match-run-key.js';

/** Runs read per page, and pages read at most: the run is among the newest dispatches. */
export const RUNS_PER_PAGE = 50;
export const MAX_RUN_PAGES = 4;

const WorkflowRun = z.object({
  id: z.number().int().positive(),
  name: z.string().nullish(),
  display_title: z.string().nullish(),
  status: z.string().nullable(),
  conclusion: z.string().nullable(),
  html_url: z.string(),
  head_branch: z.string().nullish(),
  head_sha: z.string().nullish(),
  event: z.string().nullish(),
});
const RunsPage = z.object({ workflow_runs: z.array(WorkflowRun) });

/**
 * The newest `workflow_dispatch` run of the bot's workflow whose title ends with `runKey` (see
 * {@link isRunOfKey}) and, with `expected`, that is on the expected branch and head commit
 * (`ciRunMismatch`; the branch also narrows the query), reading at most {@link MAX_RUN_PAGES} pages,
 * newest first; `null` when it is not there (yet), or when the workflow file does not exist (the
 * caller's appear timeout reports it).
 */
export async function findWorkflowRun(
  client: ActionsClient,
  runKey: string,
  expected?: ExpectedCiRun,
): Promise<CiRunInfo | null> {
  const file = await client.workflowFile();
  for (let page = 1; page <= MAX_RUN_PAGES; page += 1) {
    const response = await client.call(
      (octokit) =>
        octokit.rest.actions.listWorkflowRuns({
          owner: client.owner,
          repo: client.repo,
          workflow_id: file,
          event: DISPATCH_EVENT,
          ...(expected === undefined ? {} : { branch: expected.branch }),
          per_page: RUNS_PER_PAGE,
          page,
        }),
      (status) => (status === 404 ? null : undefined),
    );
    if (response === null) return null;
    const parsed = RunsPage.safeParse(response.data);
    if (!parsed.success) {
      throw new InvariantError(`Unexpected GitHub workflow runs response: ${parsed.error.message}`, {
        cause: parsed.error,
      });
    }
    const runs = parsed.data.workflow_runs;
    const match = runs
      .filter((run) => isRunOfKey(run.display_title, runKey) || isRunOfKey(run.name, runKey))
      .map(toRunInfo)
      .find((run) => expected === undefined || ciRunMismatch(expected, { runKey, ...run }) === null);
    if (match !== undefined) return match;
    if (runs.length < RUNS_PER_PAGE) return null;
  }
  return null;
}

function toRunInfo(run: z.infer<typeof WorkflowRun>): CiRunInfo {
  const status =
    run.status === 'completed' ? 'completed' : run.status === 'in_progress' ? 'in_progress' : 'queued';
  return {
    id: run.id,
    url: run.html_url,
    status,
    conclusion: status === 'completed' ? conclusionOf(run.conclusion) : null,
    headBranch: run.head_branch ?? null,
    headSha: run.head_sha ?? null,
    event: run.event ?? null,
  };
}

/** GitHub's other conclusions (`neutral`, `skipped`, `stale`, `action_required`, `startup_failure`) count as failure. */
function conclusionOf(conclusion: string | null): CiRunInfo['conclusion'] {
  switch (conclusion) {
    case 'success':
    case 'cancelled':
    case 'timed_out':
      return conclusion;
    default:
      return 'failure';
  }
}
