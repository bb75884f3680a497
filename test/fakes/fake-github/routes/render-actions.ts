import type { ArtifactRecord, RepoState, WorkflowRunRecord } from '../state.js';
import { nodeId, renderRepo, repoApiUrl, type ViewContext } from '../views.js';

/** A `workflow-run`. */
export function renderWorkflowRun(context: ViewContext, repo: RepoState, run: WorkflowRunRecord) {
  const api = repoApiUrl(context, repo.record.owner, repo.record.repo);
  const runUrl = `${api}/actions/runs/${run.id}`;
  const commit = repo.record.git.commits.get(run.headSha);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('WFR', run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    display_title: run.displayTitle,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    check_suite_id: run.id + 2_000_000,
    url: runUrl,
    html_url: `${context.base}/${repo.record.owner}/${repo.record.repo}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    run_started_at: run.createdAt,
    jobs_url: `${runUrl}/jobs`,
    logs_url: `${runUrl}/logs`,
    check_suite_url: `${api}/check-suites/${run.id + 2_000_000}`,
    artifacts_url: `${runUrl}/artifacts`,
    cancel_url: `${runUrl}/cancel`,
    rerun_url: `${runUrl}/rerun`,
    workflow_url: `${api}/actions/workflows/${run.workflowId}`,
    head_commit:
      commit === undefined
        ? null
        : {
            id: commit.sha,
            tree_id: commit.tree,
            message: commit.message,
            timestamp: commit.committer.date,
            author: { name: commit.author.name, email: commit.author.email },
            committer: { name: commit.committer.name, email: commit.committer.email },
          },
    repository: renderRepo(context, repo.record),
    head_repository: renderRepo(context, repo.record),
  };
}

/** An `artifact`; artifacts expire 90 days after creation, as on GitHub. */
export function renderArtifact(context: ViewContext, repo: RepoState, artifact: ArtifactRecord) {
  const api = repoApiUrl(context, repo.record.owner, repo.record.repo);
  const run = repo.runs.find((item) => item.id === artifact.runId);
  const expires = new Date(Date.parse(artifact.createdAt) + 90 * 86_400_000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  return {
    id: artifact.id,
    node_id: nodeId('MDg', artifact.id),
    name: artifact.name,
    size_in_bytes: artifact.data.length,
    url: `${api}/actions/artifacts/${artifact.id}`,
    archive_download_url: `${api}/actions/artifacts/${artifact.id}/zip`,
    expired: artifact.expired,
    created_at: artifact.createdAt,
    updated_at: artifact.createdAt,
    expires_at: expires,
    workflow_run:
      run === undefined
        ? null
        : {
            id: run.id,
            repository_id: repo.record.id,
            head_repository_id: repo.record.id,
            head_branch: run.headBranch,
            head_sha: run.headSha,
          },
  };
}
