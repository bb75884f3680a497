/**
 * GitHub's `created` search qualifier as the runs listing takes it: `2024-05-01`, `>=2024-05-01`,
 * `<2024-05-01T10:00:00Z`, `2024-05-01..2024-05-03` (`*` for an open end).
 */
export function matchesCreated(createdAt: string, filter: string): boolean {
  const at = Date.parse(createdAt);
  const range = /^(.+)\.\.(.+)$/.exec(filter);
  if (range) {
    const [, from = '*', to = '*'] = range;
    return (from === '*' || at >= start(from)) && (to === '*' || at < end(to));
  }
  const compared = /^(>=|<=|>|<)(.+)$/.exec(filter);
  if (compared) {
    const [, op, value = ''] = compared;
    if (op === '>=') return at >= start(value);
    if (op === '>') return at >= end(value);
    if (op === '<=') return at < end(value);
    return at < start(value);
  }
  return at >= start(filter) && at < end(filter);
}

/** The first millisecond a date or timestamp covers. */
function start(value: string): number {
  return Date.parse(value);
}

/** The first millisecond after a date (whole day) or timestamp (that second). */
function end(value: string): number {
  return Date.parse(value) + (/^\d{4}-\d{2}-\d{2}$/.test(value) ? 86_400_000 : 1000);
}
