import type { GitHubPort, TreeFile } from '../ports/github.js';
import { ToolError } from './tool-error.js';

/** Mode of a symbolic link in a git tree. */
export const SYMLINK_MODE = '120000';
/** Snapshot files larger than this are not read (nor searched): no connector source is that big. */
export const MAX_READ_BYTES = 1024 * 1024;

/** The branch as it was at `baseSha`: listed once, each file read at most once. */
export interface Snapshot {
  /** Every file at `baseSha` by path (cached after the first call). */
  files(): Promise<ReadonlyMap<string, TreeFile>>;
  /** Text of a file of the listing; ToolError for a symlink, a binary or an over-large file. */
  read(path: string): Promise<string>;
}

/** A lazy, caching view of the tree at `baseSha` through the GitHub port. */
export function createSnapshot(github: GitHubPort, baseSha: string): Snapshot {
  let listing: Promise<ReadonlyMap<string, TreeFile>> | undefined;
  const texts = new Map<string, Promise<string>>();

  function files(): Promise<ReadonlyMap<string, TreeFile>> {
    if (listing === undefined) {
      listing = github
        .listFiles({ ref: baseSha })
        .then((entries) => new Map(entries.map((e) => [e.path, e])));
      // A failed listing is not cached: the next call asks again.
      listing.catch(() => {
        listing = undefined;
      });
    }
    return listing;
  }

  async function load(path: string): Promise<string> {
    const entry = (await files()).get(path);
    if (entry === undefined) throw new ToolError(`${path} does not exist. Use list_files to see what does.`);
    if (entry.mode === SYMLINK_MODE)
      throw new ToolError(`${path} is a symbolic link; links are not followed.`);
    if (entry.size > MAX_READ_BYTES) {
      throw new ToolError(`${path} is ${entry.size} bytes, too large to read (limit ${MAX_READ_BYTES}).`);
    }
    const text = await github.readFile({ path, ref: baseSha });
    if (text === null) throw new ToolError(`${path} could not be read as a file.`);
    if (text.includes('\u0000'))
      throw new ToolError(`${path} is a binary file; only text files can be read.`);
    return text;
  }

  return {
    files,
    read(path) {
      let text = texts.get(path);
      if (text === undefined) {
        text = load(path);
        texts.set(path, text);
        // A failed read (ToolError or a transient port error) is not cached.
        text.catch(() => texts.delete(path));
      }
      return text;
    },
  };
}
