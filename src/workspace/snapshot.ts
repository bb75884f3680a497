import { type FileTree, type GitHubPort, MAX_TREE_TEXT_BYTES, type TreeFile } from '../ports/github.js';
import { ToolError } from './tool-error.js';

/** Mode of a symbolic link in a git tree. */
export const SYMLINK_MODE = '120000';
/** Snapshot files larger than this are not read (nor searched): no connector source is that big. */
export const MAX_READ_BYTES = MAX_TREE_TEXT_BYTES;

/** The branch as it was at `baseSha`, read whole once. */
export interface Snapshot {
  /** Every file at `baseSha` by path (cached after the first call). */
  files(): Promise<ReadonlyMap<string, TreeFile>>;
  /** Text of a file of the listing; ToolError for a missing path, a symlink, a binary or an over-large file. */
  read(path: string): Promise<string>;
}

/**
 * A lazy view of the tree at `baseSha`: the first call reads the whole tree through `readTree` (one
 * request, and none when the process already holds that sha); every listing and read answers from it.
 */
export function createSnapshot(github: GitHubPort, baseSha: string): Snapshot {
  let tree: Promise<FileTree> | undefined;

  function files(): Promise<FileTree> {
    if (tree === undefined) {
      const reading = github.readTree({ sha: baseSha });
      tree = reading;
      // A failed read is not kept: the next call asks again.
      reading.catch(() => {
        if (tree === reading) tree = undefined;
      });
    }
    return tree;
  }

  return {
    files,
    async read(path) {
      const entry = (await files()).get(path);
      if (entry === undefined)
        throw new ToolError(`${path} does not exist. Use list_files to see what does.`);
      const { body } = entry;
      switch (body.kind) {
        case 'symlink':
          throw new ToolError(`${path} is a symbolic link; links are not followed.`);
        case 'too_large':
          throw new ToolError(`${path} is ${entry.size} bytes, too large to read (limit ${MAX_READ_BYTES}).`);
        case 'binary':
          throw new ToolError(`${path} is a binary file; only text files can be read.`);
        case 'text':
          return body.text;
      }
    },
  };
}
