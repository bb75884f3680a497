/** The largest edit distance at which a typo still gets a "Did you mean" hint. */
const MAX_DISTANCE = 2;

/**
 * The name in `names` closest to `word` by edit distance (insertions, deletions, substitutions and
 * swaps of neighbours each count 1), or `null` when none is within 2 edits or the match would
 * rewrite most of `word` (so `/s` suggests nothing). `-` and `_` are treated as the same. Ties go to
 * the earlier name in `names`.
 */
export function suggestNearestName(word: string, names: readonly string[]): string | null {
  const wanted = normalise(word);
  let best: { name: string; distance: number } | null = null;
  for (const name of names) {
    const distance = editDistance(wanted, normalise(name));
    if (distance <= MAX_DISTANCE && distance < wanted.length && (best === null || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name ?? null;
}

function normalise(word: string): string {
  return word.toLowerCase().replaceAll('_', '-');
}

/** Optimal-string-alignment distance; callers keep both strings short. */
function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  const cells: number[] = [];
  const cell = (i: number, j: number): number => cells[i * width + j] ?? Number.POSITIVE_INFINITY;
  for (let i = 0; i <= a.length; i++) {
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        cells.push(i + j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const best = Math.min(cell(i - 1, j) + 1, cell(i, j - 1) + 1, cell(i - 1, j - 1) + cost);
      const swapped = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
      cells.push(swapped ? Math.min(best, cell(i - 2, j - 2) + 1) : best);
    }
  }
  return cell(a.length, b.length);
}
