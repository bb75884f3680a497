import type { TreeFileContent } from '../ports/github.js';

/** The text of a file of a tree read whole; `null` when it is missing, a symbolic link, binary or over-large. */
export function textOf(file: TreeFileContent | undefined): string | null {
  return file?.body.kind === 'text' ? file.body.text : null;
}
