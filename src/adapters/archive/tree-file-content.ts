import { createHash, type Hash } from 'node:crypto';
import { MAX_TREE_TEXT_BYTES, type TreeBody, type TreeFileContent } from '../../ports/github.js';

/** Mode of a symbolic link in a git tree. */
const SYMLINK_MODE = '120000';

/** A git blob id computed as the bytes arrive (`blob <size>\0` then the content). */
export function blobHasher(size: number): Hash {
  return createHash('sha1').update(`blob ${size}\0`);
}

/**
 * What `readTree` keeps of a regular file whose `size` bytes are `kept` (all of them, or none when
 * over `maxTextBytes`): the text, or the mark of a binary or an over-large file.
 */
export function bodyOf(size: number, kept: Buffer | null, maxTextBytes = MAX_TREE_TEXT_BYTES): TreeBody {
  if (size > maxTextBytes || kept === null) return { kind: 'too_large' };
  if (kept.includes(0)) return { kind: 'binary' };
  return { kind: 'text', text: kept.toString('utf8') };
}

/** A file of a tree from its whole content: `mode` `120000` makes `content` a link's target. */
export function treeFileContent(
  path: string,
  mode: string,
  content: Buffer,
  maxTextBytes = MAX_TREE_TEXT_BYTES,
): TreeFileContent {
  const blobSha = blobHasher(content.length).update(content).digest('hex');
  const body: TreeBody =
    mode === SYMLINK_MODE
      ? { kind: 'symlink', target: content.toString('utf8') }
      : bodyOf(content.length, content, maxTextBytes);
  return { path, mode, type: 'blob', size: content.length, blobSha, body };
}
