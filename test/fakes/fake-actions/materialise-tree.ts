import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FakeGitHub } from '../fake-github/index.js';

/**
 * Writes the committed tree of `sha` into `dir`, byte for byte, as `actions/checkout` would: regular
 * files 0644, executables (`100755`) 0755. Symlinks and submodules are not modelled and make it throw,
 * as does any path that could leave `dir`.
 */
export async function materialiseTree(
  fake: FakeGitHub,
  params: { owner: string; repo: string; sha: string; dir: string },
): Promise<number> {
  const { git } = fake.state.requireRepo(params.owner, params.repo).record;
  const tree = git.trees.get(git.commits.get(params.sha)?.tree ?? '');
  if (tree === undefined)
    throw new Error(`fake Actions: ${params.owner}/${params.repo} has no commit ${params.sha}`);
  for (const [path, file] of tree) {
    if (
      path.startsWith('/') ||
      path.split('/').some((part) => part === '' || part === '.' || part === '..')
    ) {
      throw new Error(`fake Actions: refusing to check out the unsafe path ${JSON.stringify(path)}`);
    }
    if (file.mode !== '100644' && file.mode !== '100755') {
      throw new Error(`fake Actions: ${path} has mode ${file.mode}, which the fake does not check out`);
    }
    const target = join(params.dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, git.blobs.get(file.sha) ?? Buffer.alloc(0));
    await chmod(target, file.mode === '100755' ? 0o755 : 0o644);
  }
  return tree.size;
}
