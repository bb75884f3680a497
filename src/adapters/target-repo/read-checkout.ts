import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { connectorPaths } from '../../domain/target-repo/connector-paths.js';
import { DEFAULT_LAYOUT, type TargetLayout } from '../../domain/target-repo/layout.js';

/** Text files larger than this are not read (corpus files of a few MB are common; the checks never need more). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

async function walk(root: string, dir: string, out: Map<string, string>): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__pycache__' && !entry.name.startsWith('.')) await walk(root, full, out);
    } else if (entry.isFile() && (await stat(full)).size <= MAX_FILE_BYTES) {
      const bytes = await readFile(full);
      if (!bytes.includes(0)) out.set(relative(root, full).split(sep).join('/'), bytes.toString('utf8'));
    }
  }
}

/** The source names of a checkout: every folder under the layout's `sources` holding `{s}.py` or `__init__.py`. */
export async function listSources(repoDir: string, layout: TargetLayout = DEFAULT_LAYOUT): Promise<string[]> {
  const root = join(repoDir, layout.sources);
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const sources: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const files = await readdir(join(root, entry.name)).catch(() => [] as string[]);
    if (files.includes(`${entry.name}.py`) || files.includes('__init__.py')) sources.push(entry.name);
  }
  return sources.sort();
}

/** Every text file of one connector in a checkout (its source, tests and simulator folders), path → text. */
export async function readConnectorFiles(
  repoDir: string,
  source: string,
  layout: TargetLayout = DEFAULT_LAYOUT,
): Promise<Map<string, string>> {
  const paths = connectorPaths(source, layout);
  const files = new Map<string, string>();
  for (const dir of [paths.sourceDir, paths.testsDir, paths.simulatorDir]) {
    await walk(repoDir, join(repoDir, dir), files);
  }
  return files;
}

/** The text of one repository file, or undefined when it is absent. */
export async function readRepoFile(repoDir: string, path: string): Promise<string | undefined> {
  return readFile(join(repoDir, path), 'utf8').catch(() => undefined);
}
