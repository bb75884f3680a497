import type { RunEvent } from './events.js';

type CiEvent = Extract<RunEvent, { type: 'ci_completed' }>;

/** Why a CI run counts as failed, for a maintainer: the problem, or the failing tests with a link. */
export function ciFailureReason(event: CiEvent, what: string): string {
  if (event.problem) return event.problem;
  const failing = event.tests.filter((test) => test.outcome === 'failed' || test.outcome === 'error');
  const names = failing.slice(0, 10).map((test) => `\`${test.name}\``);
  const link = event.url ? ` ([CI run](${event.url}))` : '';
  if (failing.length === 0) return `The ${what} ended with conclusion \`${event.conclusion}\`${link}.`;
  return `The ${what} failed${link}: ${failing.length} failing test(s): ${names.join(', ')}${failing.length > 10 ? ', …' : ''}.`;
}
