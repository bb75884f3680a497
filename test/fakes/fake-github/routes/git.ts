import { createHash } from 'node:crypto';
import type { GitCommit, GitPerson, TreeEntryInput } from '../git-store.js';
import { bodyOf, invalid, json, notFound, notImplemented, type Route, repoOf } from '../route.js';
import type { RepoState } from '../state.js';
import { nodeId, repoApiUrl, type ViewContext } from '../views.js';

/** The git data API: refs, blobs, trees and commits. */
export const gitRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/ref/{ref}',
    handle(request, context) {
      const repo = repoOf(request);
      const ref = `refs/${request.params.ref}`;
      return repo.record.git.refs.has(ref) ? json(200, renderRef(context, repo, ref)) : notFound();
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/refs',
    handle(request, context) {
      const repo = repoOf(request);
      const { ref, sha } = bodyOf<{ ref: string; sha: string }>(request);
      const { git } = repo.record;
      if (!/^refs\/[^/]+\/.+/.test(ref)) {
        return invalid("Reference name must start with 'refs/' and have at least two slashes.");
      }
      if (git.refs.has(ref)) return invalid('Reference already exists', 'already_exists');
      if (!git.commits.has(sha)) return invalid('Object does not exist');
      git.refs.set(ref, sha);
      return json(201, renderRef(context, repo, ref));
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/git/refs/{ref}',
    handle(request, context) {
      const repo = repoOf(request);
      const { sha, force = false } = bodyOf<{ sha: string; force?: boolean }>(request);
      const { git } = repo.record;
      const ref = `refs/${request.params.ref}`;
      const current = git.refs.get(ref);
      if (current === undefined) return invalid('Reference does not exist');
      if (!git.commits.has(sha)) return invalid('Object does not exist');
      if (!force && !git.isAncestor(current, sha)) return invalid('Update is not a fast forward');
      git.refs.set(ref, sha);
      return json(200, renderRef(context, repo, ref));
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
    handle(request, context) {
      const repo = repoOf(request);
      const commit = repo.record.git.commits.get(request.params.commit_sha ?? '');
      return commit === undefined ? notFound() : json(200, renderGitCommit(context, repo, commit));
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/blobs',
    handle(request, context) {
      const repo = repoOf(request);
      const { content, encoding = 'utf-8' } = bodyOf<{ content: string; encoding?: string }>(request);
      if (encoding !== 'utf-8' && encoding !== 'utf8' && encoding !== 'base64') {
        return invalid(`encoding must be "utf-8" or "base64", got "${encoding}"`);
      }
      const sha = repo.record.git.createBlob(Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'));
      const url = `${repoApiUrl(context, repo.record.owner, repo.record.repo)}/git/blobs/${sha}`;
      return json(201, { url, sha }, { location: url });
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/trees',
    handle(request, context) {
      const repo = repoOf(request);
      const { tree, base_tree } = bodyOf<{ tree: TreeEntryInput[]; base_tree?: string }>(request);
      const built = repo.record.git.buildTree(base_tree, tree);
      if ('unsupported' in built) return notImplemented(built.unsupported);
      if ('error' in built) return invalid(built.error);
      return json(201, renderTree(context, repo, built.sha, false));
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/trees/{tree_sha}',
    query: ['recursive'],
    handle(request, context) {
      const repo = repoOf(request);
      const { git } = repo.record;
      const given = request.params.tree_sha ?? '';
      const sha = git.trees.has(given) ? given : git.commits.get(git.resolve(given) ?? '')?.tree;
      if (sha === undefined) return notFound();
      return json(200, renderTree(context, repo, sha, request.query.has('recursive')));
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/commits',
    handle(request, context) {
      const repo = repoOf(request);
      const body = bodyOf<{
        message: string;
        tree: string;
        parents?: string[];
        author?: Partial<GitPerson>;
        committer?: Partial<GitPerson>;
      }>(request);
      const { git } = repo.record;
      if (!git.trees.has(body.tree)) return invalid(`Tree SHA ${body.tree} does not exist`);
      const missing = (body.parents ?? []).find((parent) => !git.commits.has(parent));
      if (missing !== undefined) return invalid(`Parent SHA ${missing} does not exist`);
      const author = person(context, body.author);
      const commit = git.createCommit({
        tree: body.tree,
        parents: body.parents ?? [],
        message: body.message,
        author,
        committer: body.committer === undefined ? author : person(context, body.committer),
      });
      return json(201, renderGitCommit(context, repo, commit));
    },
  },
];

/** The bot as committer unless the body names someone. */
export function person(context: ViewContext, given?: Partial<GitPerson>): GitPerson {
  const id = context.state.userId(context.botLogin);
  return {
    name: given?.name ?? context.botLogin,
    email: given?.email ?? `${id}+${context.botLogin}@users.noreply.github.com`,
    date: given?.date ?? context.now(),
  };
}

function renderRef(context: ViewContext, repo: RepoState, ref: string) {
  const api = repoApiUrl(context, repo.record.owner, repo.record.repo);
  const sha = repo.record.git.refs.get(ref) ?? '';
  return {
    ref,
    node_id: nodeId('REF', `${repo.record.id}:${ref}`),
    url: `${api}/git/${ref}`,
    object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
  };
}

/** A `git-commit`. */
export function renderGitCommit(context: ViewContext, repo: RepoState, commit: GitCommit) {
  const api = repoApiUrl(context, repo.record.owner, repo.record.repo);
  const html = `${context.base}/${repo.record.owner}/${repo.record.repo}/commit`;
  return {
    sha: commit.sha,
    node_id: nodeId('C', commit.sha),
    url: `${api}/git/commits/${commit.sha}`,
    html_url: `${html}/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/git/commits/${sha}`,
      html_url: `${html}/${sha}`,
    })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

/**
 * A `git-tree`. Recursive: every file and folder with its full path, as GitHub lists them; otherwise
 * the top level only (as `POST /git/trees` answers). Folder shas are derived from the path: the
 * store keeps flat trees, so they cannot be read back.
 */
function renderTree(context: ViewContext, repo: RepoState, sha: string, recursive: boolean) {
  const api = repoApiUrl(context, repo.record.owner, repo.record.repo);
  const { git } = repo.record;
  const files = git.trees.get(sha) ?? new Map<string, { sha: string; mode: string }>();
  const folders = new Set<string>();
  for (const path of files.keys()) {
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) folders.add(parts.slice(0, depth).join('/'));
  }
  const entries = [
    ...[...folders].map((path) => {
      const folderSha = createHash('sha1').update(`tree:${sha}:${path}`).digest('hex');
      return { path, mode: '040000', type: 'tree', sha: folderSha, url: `${api}/git/trees/${folderSha}` };
    }),
    ...[...files].map(([path, file]) => ({
      path,
      mode: file.mode,
      type: 'blob',
      sha: file.sha,
      size: git.blobs.get(file.sha)?.length ?? 0,
      url: `${api}/git/blobs/${file.sha}`,
    })),
  ]
    .filter((entry) => recursive || !entry.path.includes('/'))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  return { sha, url: `${api}/git/trees/${sha}`, truncated: false, tree: entries };
}
