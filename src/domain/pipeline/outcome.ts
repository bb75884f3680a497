import type { Effect } from './effects.js';
import type { Run } from './run.js';

/** What `transition` returns: the next run and the effects to carry out, in order. */
export interface Outcome {
  run: Run;
  effects: Effect[];
}

/** An outcome that changes nothing but says something (a reply or a log line). */
export function unchanged(run: Run, ...effects: Effect[]): Outcome {
  return { run, effects };
}

/** Appends effects to an outcome. */
export function withEffects(outcome: Outcome, ...effects: Effect[]): Outcome {
  return { run: outcome.run, effects: [...outcome.effects, ...effects] };
}
