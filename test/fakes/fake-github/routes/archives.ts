import { notFound, type Route, repoOf } from '../route.js';
import { packTarball, type TarballFile } from '../tarball.js';

/** Where the fake redirects a tarball download, as GitHub redirects to its archive host. */
const CODELOAD_PATH = '/_fake/codeload/{owner}/{repo}/legacy.tar.gz/{sha}';

/** The repository tarball: a redirect, then the gzipped tar of the commit's tree built from the git store. */
export const archiveRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/tarball/{ref}',
    handle(request, context) {
      const repo = repoOf(request);
      const sha = repo.record.git.resolve(request.params.ref ?? '');
      if (sha === undefined) return notFound();
      const path = CODELOAD_PATH.replace('{owner}', repo.record.owner)
        .replace('{repo}', repo.record.repo)
        .replace('{sha}', sha);
      return { status: 302, headers: { location: `${context.base}${path}` } };
    },
  },
  {
    method: 'GET',
    path: CODELOAD_PATH,
    inSpec: false,
    public: true,
    handle(request) {
      const repo = repoOf(request);
      const { git, owner, repo: name } = repo.record;
      const sha = request.params.sha ?? '';
      const tree = git.trees.get(git.commits.get(sha)?.tree ?? '');
      if (tree === undefined) return notFound();
      const files: TarballFile[] = [...tree].map(([path, file]) => ({
        path,
        mode: file.mode,
        content: git.blobs.get(file.sha) ?? Buffer.alloc(0),
      }));
      const data = packTarball({ prefix: `${owner}-${name}-${sha.slice(0, 7)}`, commit: sha, files });
      return { status: 200, raw: { data, contentType: 'application/x-gzip' } };
    },
  },
];
