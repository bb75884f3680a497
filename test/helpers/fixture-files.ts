import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fixture target repository (`test/fixtures/target-repo/`). */
export const TARGET_REPO_FIXTURE = fileURLToPath(new URL('../fixtures/target-repo/', import.meta.url));

/**
 * The fixture target repository as path → text, the way a repository seeded on a fake holds it
 * (Python caches left out).
 */
export async function fixtureFiles(root = TARGET_REPO_FIXTURE): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === '__pycache__' || entry.name === '.pytest_cache') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (!entry.name.endsWith('.pyc')) files[relative(root, path)] = await readFile(path, 'utf8');
    }
  }
  await walk(root);
  return files;
}
