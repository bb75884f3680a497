/** Characters a run key is made of (see `ciRunKey`): a name must not continue it on the left. */
const KEY_CHAR = /[A-Za-z0-9._-]/;

/**
 * True when a run's title ends with `runKey` as a whole token: the workflow's `run-name` ends with
 * the key, and the key must not be the tail of a longer one (`…-1-b1-test-a1-simulate` is not the
 * run of `…-11-b1-test-a1-simulate`, nor the reverse). Trailing whitespace is ignored.
 */
export function isRunOfKey(title: string | null | undefined, runKey: string): boolean {
  const text = (title ?? '').trimEnd();
  if (runKey === '' || !text.endsWith(runKey)) return false;
  const before = text.charAt(text.length - runKey.length - 1);
  return before === '' || !KEY_CHAR.test(before);
}
