/**
 * A dispatched run's name ends with its run key (`ciRunKey`, or `ciRecheckKey` for a moved head's
 * re-check, either with `-c<n>` when dispatched again), which names the run's issue.
 */
const RUN_KEY =
  /(?<key>[A-Za-z0-9._-]+-(?<issue>\d{1,9})-b\d+-[a-z_]+-a\d+(?:-r[0-9a-f]{7,40})?(?:-c\d{1,4})?-(?:simulate|live|auth|package))\s*$/;

/** The run key at the end of a workflow run's title and the issue it names, or `null`. */
export function runKeyOfTitle(title: string): { key: string; issue: number } | null {
  const match = RUN_KEY.exec(title);
  if (!match?.groups?.key || !match.groups.issue) return null;
  return { key: match.groups.key, issue: Number(match.groups.issue) };
}
