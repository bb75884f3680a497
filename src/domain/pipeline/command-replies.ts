import { describeStatus } from '../render/describe-status.js';
import type { Effect } from './effects.js';
import type { RunEvent } from './events.js';
import { type Outcome, unchanged } from './outcome.js';
import type { Run } from './run.js';

/** A command event, already authorised by the handler. */
export type CommandEvent = Extract<RunEvent, { type: 'command' }>;

/** A reply to the command's author, where the command was written. */
export function reply(event: CommandEvent, body: string): Effect {
  return { type: 'reply', key: event.id, target: event.target, body: `@${event.actor} ${body}` };
}

/** Explains that a command does not apply now: never a silent drop, never a state change. */
export function notNow(run: Run, event: CommandEvent, what: string): Outcome {
  return unchanged(run, reply(event, `${what} The run is ${describeStatus(run.status)}.`));
}
