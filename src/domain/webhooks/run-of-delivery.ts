import { z } from 'zod';
import { runKeyOfTitle } from '../ci/run-key-of-title.js';
import type { RunRef } from '../pipeline/run.js';
import { parseRunIssueFromPullRequestBody } from '../render/markers.js';

const Base = z.object({
  installation: z.object({ id: z.number().int().positive() }),
  repository: z.object({ name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) }),
});
const OnIssue = Base.extend({
  issue: z.object({
    number: z.number().int().positive(),
    body: z.string().nullish(),
    pull_request: z.unknown().optional(),
  }),
});
const OnPullRequest = Base.extend({ pull_request: z.object({ body: z.string().nullish() }) });
const OnWorkflowRun = Base.extend({
  workflow_run: z.object({ display_title: z.string().nullish(), name: z.string().nullish() }),
});

/**
 * The connector run a webhook delivery was about, read from its payload as GitHub sent it: the
 * issue of an issue or comment event (a PR's run issue from the PR body), a review's PR's run
 * issue, a workflow run's run key. `null` for anything else or a payload that does not parse.
 */
export function runOfDelivery(event: string, payload: unknown): RunRef | null {
  const base = Base.safeParse(payload);
  if (!base.success) return null;
  const repo = {
    installationId: base.data.installation.id,
    owner: base.data.repository.owner.login,
    repo: base.data.repository.name,
  };
  const at = (issue: number | null) => (issue === null ? null : { ...repo, issue });
  switch (event) {
    case 'issues':
    case 'issue_comment': {
      const parsed = OnIssue.safeParse(payload);
      if (!parsed.success) return null;
      const { issue } = parsed.data;
      return at(
        issue.pull_request === undefined
          ? issue.number
          : parseRunIssueFromPullRequestBody(issue.body ?? null),
      );
    }
    case 'pull_request':
    case 'pull_request_review':
    case 'pull_request_review_comment': {
      const parsed = OnPullRequest.safeParse(payload);
      return parsed.success
        ? at(parseRunIssueFromPullRequestBody(parsed.data.pull_request.body ?? null))
        : null;
    }
    case 'workflow_run': {
      const parsed = OnWorkflowRun.safeParse(payload);
      if (!parsed.success) return null;
      const run = parsed.data.workflow_run;
      return at(runKeyOfTitle(run.display_title ?? run.name ?? '')?.issue ?? null);
    }
    default:
      return null;
  }
}
