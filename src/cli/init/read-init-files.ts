import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { INIT_SOURCES } from './init-files.js';
import type { ExistingFile, InitFile } from './plan-init.js';

/** The files `init` installs, read from this package, each with its path in the target checkout. */
export function readInitSources(): InitFile[] {
  return INIT_SOURCES.map(({ from, to }) => {
    const path = join(PACKAGE_ROOT, from);
    try {
      return { path: to, content: readFileSync(path, 'utf8') };
    } catch (error) {
      throw new Error(
        `this installation of lakeflow-connector-bot lacks ${from} (looked in ${PACKAGE_ROOT})`,
        { cause: error },
      );
    }
  });
}

/** What is at `path`: nothing, a regular file's text, or something `init` never touches (and why). */
export function readExisting(path: string): ExistingFile {
  try {
    const stats = lstatSync(path, { throwIfNoEntry: false });
    if (stats === undefined) return { kind: 'absent' };
    if (stats.isDirectory()) return { kind: 'other', reason: 'a folder, not a file' };
    if (stats.isSymbolicLink()) return { kind: 'other', reason: 'a symbolic link, left alone' };
    if (!stats.isFile()) return { kind: 'other', reason: 'not a regular file' };
    return { kind: 'file', content: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      kind: 'other',
      reason: code === 'ENOTDIR' ? 'a parent folder is a file' : `cannot be read (${code})`,
    };
  }
}
