import type { GitCommit } from '../git-store.js';
import { fail, json, notFound, paginate, type Route, repoOf } from '../route.js';
import type { RepoState } from '../state.js';
import { nodeId, repoApiUrl, type ViewContext } from '../views.js';

/** File contents at a ref and the commit history of a branch. */
export const contentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/contents/{path}',
    query: ['ref'],
    handle(request, context) {
      const repo = repoOf(request);
      const ref = request.query.get('ref') ?? repo.record.defaultBranch;
      const sha = repo.record.git.resolve(ref);
      const tree = repo.record.git.trees.get(repo.record.git.commits.get(sha ?? '')?.tree ?? '');
      if (tree === undefined) return fail(404, `No commit found for the ref ${ref}`);
      const path = (request.params.path ?? '').replace(/\/+$/, '');
      const file = tree.get(path);
      if (file !== undefined) {
        const data = repo.record.git.blobs.get(file.sha) ?? Buffer.alloc(0);
        const content = data.toString('base64').replace(/(.{60})/g, '$1\n');
        return json(200, {
          ...entry(context, repo, ref, path, 'file', file.sha, data.length),
          content,
          encoding: 'base64',
        });
      }
      const children = new Map<string, { type: 'file' | 'dir'; sha: string; size: number }>();
      for (const [filePath, child] of tree) {
        if (!filePath.startsWith(`${path}/`)) continue;
        const [name = '', ...rest] = filePath.slice(path.length + 1).split('/');
        const size = repo.record.git.blobs.get(child.sha)?.length ?? 0;
        children.set(
          name,
          rest.length > 0
            ? { type: 'dir', sha: nodeId('T', `${path}/${name}`), size: 0 }
            : { type: 'file', sha: child.sha, size },
        );
      }
      if (children.size === 0) return notFound();
      return json(
        200,
        [...children].map(([name, child]) =>
          entry(context, repo, ref, `${path}/${name}`, child.type, child.sha, child.size),
        ),
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits',
    query: ['sha', 'per_page', 'page'],
    handle(request, context) {
      const repo = repoOf(request);
      const ref = request.query.get('sha') ?? repo.record.defaultBranch;
      const head = repo.record.git.resolve(ref);
      if (head === undefined) return fail(404, `No commit found for SHA: ${ref}`);
      const { page, headers } = paginate(request, repo.record.git.history(head));
      return json(
        200,
        page.map((commit) => renderCommit(context, repo, commit)),
        headers,
      );
    },
  },
];

function entry(
  context: ViewContext,
  repo: RepoState,
  ref: string,
  path: string,
  type: 'file' | 'dir',
  sha: string,
  size: number,
) {
  const api = repoApiUrl(context, repo.record.owner, repo.record.repo);
  const self = `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const html = `${context.base}/${repo.record.owner}/${repo.record.repo}/${type === 'file' ? 'blob' : 'tree'}/${ref}/${path}`;
  const git = `${api}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`;
  return {
    type,
    name: path.split('/').pop() ?? path,
    path,
    sha,
    size,
    url: self,
    git_url: git,
    html_url: html,
    download_url:
      type === 'file' ? `${context.base}/raw/${repo.record.owner}/${repo.record.repo}/${ref}/${path}` : null,
    _links: { self, git, html },
  };
}

/** A `commit` as the commits listing returns it. */
export function renderCommit(context: ViewContext, repo: RepoState, commit: GitCommit) {
  const api = repoApiUrl(context, repo.record.owner, repo.record.repo);
  const html = `${context.base}/${repo.record.owner}/${repo.record.repo}/commit`;
  return {
    sha: commit.sha,
    node_id: nodeId('C', commit.sha),
    url: `${api}/commits/${commit.sha}`,
    html_url: `${html}/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${html}/${sha}` })),
  };
}
