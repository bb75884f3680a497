import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type Zippable, zipSync } from 'fflate';

/**
 * Zips a results directory the way `actions/upload-artifact` does: every file under it, with paths
 * relative to it (`summary.json`, `logs/pytest.txt`, `dist/x.whl`). Wheels are stored, not deflated.
 */
export async function packResultsZip(dir: string): Promise<Buffer> {
  const entries: Zippable = {};
  for (const path of await listFiles(dir)) {
    const name = relative(dir, path).split(sep).join('/');
    entries[name] = [await readFile(path), { level: name.endsWith('.whl') ? 0 : 6 }];
  }
  return Buffer.from(zipSync(entries));
}

async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found.sort();
}
