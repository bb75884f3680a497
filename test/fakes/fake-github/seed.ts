import { person } from './routes/git.js';
import type { ArtifactRecord, FakeState, IssueRecord, RepoState, WorkflowRunRecord } from './state.js';
import { nodeId, type ViewContext } from './views.js';

/** Creates a repository whose default branch holds `files` in one initial commit. */
export function seedRepo(
  context: ViewContext,
  params: {
    owner: string;
    repo: string;
    defaultBranch?: string;
    files?: Record<string, string>;
    private?: boolean;
    installed?: boolean;
  },
): RepoState {
  if (context.state.repo(params.owner, params.repo) !== undefined) {
    throw new Error(`fake GitHub already has ${params.owner}/${params.repo}`);
  }
  const defaultBranch = params.defaultBranch ?? 'main';
  const repo = context.state.createRepo(
    params.owner,
    params.repo,
    defaultBranch,
    params.private ?? false,
    params.installed ?? true,
  );
  commitOnBranch(context, repo, {
    branch: defaultBranch,
    message: 'Initial commit',
    files: params.files ?? {},
  });
  return repo;
}

/**
 * Commits `files` on `branch` as a push would (creating the branch from the default branch when it
 * is missing); `null` deletes a path. Returns the new head sha.
 */
export function commitOnBranch(
  context: ViewContext,
  repo: RepoState,
  params: { branch: string; message: string; files: Record<string, string | null>; author?: string },
): string {
  const { git } = repo.record;
  const ref = `refs/heads/${params.branch}`;
  const parent = git.refs.get(ref) ?? git.refs.get(`refs/heads/${repo.record.defaultBranch}`);
  const baseTree = parent === undefined ? undefined : git.commits.get(parent)?.tree;
  const entries = Object.entries(params.files).map(([path, content]) =>
    content === null ? { path, sha: null } : { path, mode: '100644', type: 'blob', content },
  );
  const tree = git.buildTree(baseTree, entries);
  if (!('sha' in tree)) throw new Error(`cannot commit on ${params.branch}: ${JSON.stringify(tree)}`);
  const author = person(
    context,
    params.author === undefined ? undefined : { name: params.author, email: `${params.author}@example.com` },
  );
  const commit = git.createCommit({
    tree: tree.sha,
    parents: parent === undefined ? [] : [parent],
    message: params.message,
    author,
    committer: author,
  });
  git.refs.set(ref, commit.sha);
  return commit.sha;
}

/** Seeds an issue (or replaces one with the same number). */
export function seedIssue(
  state: FakeState,
  repo: RepoState,
  params: {
    number?: number;
    title: string;
    body?: string | null;
    user: string;
    labels?: string[];
    createdAt?: string;
  },
): IssueRecord {
  const id = state.id();
  const now = params.createdAt ?? state.now();
  const issue: IssueRecord = {
    id,
    nodeId: nodeId('I', id),
    number: params.number ?? state.nextIssueNumber(repo),
    title: params.title,
    body: params.body ?? null,
    user: params.user,
    labels: [...(params.labels ?? [])],
    state: 'open',
    createdAt: now,
    updatedAt: now,
  };
  for (const label of issue.labels) state.ensureLabel(repo, label);
  repo.issues.set(issue.number, issue);
  return issue;
}

/** Seeds a workflow run; `workflow` is a file name (`ci.yml`), a path or a numeric id. */
export function seedWorkflowRun(
  state: FakeState,
  repo: RepoState,
  params: {
    workflow?: string;
    name?: string;
    headBranch: string;
    headSha?: string;
    event?: string;
    status?: WorkflowRunRecord['status'];
    conclusion?: string | null;
    displayTitle?: string;
    createdAt?: string;
  },
): WorkflowRunRecord {
  const workflow = state.workflow(repo, params.workflow ?? 'ci.yml');
  const headSha = params.headSha ?? repo.record.git.resolve(`refs/heads/${params.headBranch}`);
  if (headSha === undefined) throw new Error(`fake GitHub has no branch ${params.headBranch} to run on`);
  const createdAt = params.createdAt ?? state.now();
  const run: WorkflowRunRecord = {
    id: state.id(),
    workflowId: workflow.id,
    path: workflow.path,
    name: params.name ?? workflow.path.split('/').pop() ?? workflow.path,
    runNumber: repo.runs.filter((item) => item.workflowId === workflow.id).length + 1,
    headBranch: params.headBranch,
    headSha,
    event: params.event ?? 'workflow_dispatch',
    status: params.status ?? 'queued',
    conclusion: params.conclusion ?? null,
    displayTitle: params.displayTitle ?? params.name ?? workflow.path,
    createdAt,
    updatedAt: createdAt,
  };
  repo.runs.push(run);
  return run;
}

/** Seeds an artifact of a run with the given zip bytes. */
export function seedArtifact(
  state: FakeState,
  repo: RepoState,
  params: { runId: number; name: string; zip: Uint8Array; expired?: boolean },
): ArtifactRecord {
  if (!repo.runs.some((run) => run.id === params.runId))
    throw new Error(`fake GitHub has no run ${params.runId}`);
  const artifact: ArtifactRecord = {
    id: state.id(),
    runId: params.runId,
    name: params.name,
    data: Buffer.from(params.zip),
    expired: params.expired ?? false,
    createdAt: state.now(),
  };
  repo.artifacts.push(artifact);
  return artifact;
}
