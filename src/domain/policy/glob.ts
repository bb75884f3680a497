/**
 * A tiny glob matcher over `/`-separated paths: `**` matches zero or more whole segments, `*` matches
 * any run of characters inside one segment, and everything else is literal. No character classes,
 * braces or escapes: the policy's globs are built from validated names, so none are needed.
 */
export function matchGlob(glob: string, path: string): boolean {
  return matchSegments(glob.split('/'), 0, path.split('/'), 0);
}

function matchSegments(glob: readonly string[], g: number, path: readonly string[], p: number): boolean {
  if (g === glob.length) return p === path.length;
  const segment = glob[g];
  if (segment === '**') {
    for (let next = p; next <= path.length; next += 1) {
      if (matchSegments(glob, g + 1, path, next)) return true;
    }
    return false;
  }
  const part = path[p];
  if (segment === undefined || part === undefined) return false;
  return matchSegment(segment, part) && matchSegments(glob, g + 1, path, p + 1);
}

/** One segment: literal text with `*` wildcards, matched left to right with backtracking. */
function matchSegment(pattern: string, text: string): boolean {
  const pieces = pattern.split('*');
  const first = pieces[0] ?? '';
  if (pieces.length === 1) return pattern === text;
  const last = pieces[pieces.length - 1] ?? '';
  if (!text.startsWith(first) || !text.endsWith(last) || text.length < first.length + last.length) {
    return false;
  }
  let position = first.length;
  const end = text.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = text.indexOf(piece, position);
    if (found === -1 || found + piece.length > end) return false;
    position = found + piece.length;
  }
  return true;
}
