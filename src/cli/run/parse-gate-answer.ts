import type { Command } from '../../domain/commands/schema.js';

/** What the terminal can answer at a stop of the run. */
export type GateKind = 'plan' | 'stage' | 'next_batch' | 'credentials' | 'paused' | 'failed';

/** An answer read from the terminal: a command to apply, or why the line was not understood. */
export type GateAnswer = { kind: 'command'; command: Command } | { kind: 'invalid'; message: string };

/** The commands the terminal answers, by their GitHub name. */
export type TerminalCommand = 'approve' | 'revise' | 'cancel' | 'skip-auth' | 'retry';

const ANSWER_HINTS: Readonly<Record<TerminalCommand, string>> = {
  approve: 'a (approve)',
  revise: 'r <text> (revise)',
  cancel: 'c (cancel)',
  'skip-auth': 's (skip-auth)',
  retry: 't (try again)',
};

/** How the terminal's messages name a command: the answer to type, then its word (`a (approve)`). */
export function answerHint(command: TerminalCommand): string {
  return ANSWER_HINTS[command];
}

/** True when `name` (without its slash) is a command the terminal answers. */
export function isTerminalCommand(name: string): name is TerminalCommand {
  return Object.hasOwn(ANSWER_HINTS, name);
}

/** The question shown at a stop, listing exactly the answers `parseGateAnswer` accepts there. */
export function renderGateQuestion(gate: GateKind): string {
  const first =
    gate === 'failed' ? '[t]ry again' : gate === 'paused' ? '[a]pprove (raise the budget)' : '[a]pprove';
  const skip = gate === 'credentials' ? ' / [s]kip-auth' : '';
  return `${first} / [r]evise <text> / [c]ancel${skip} > `;
}

/**
 * Reads one answer line: `a`/`approve`, `r <text>`/`revise <text>`, `c`/`cancel`, `s`/`skip-auth`
 * (credentials gate only) and `t`/`retry` (a failed stage only). Anything else is `invalid` with a
 * message saying what would work; an empty `revise` is refused rather than sent without feedback.
 */
export function parseGateAnswer(line: string, gate: GateKind): GateAnswer {
  const trimmed = line.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  const word = (match?.[1] ?? '').toLowerCase().replace(/^\//, '');
  const rest = (match?.[2] ?? '').trim();
  const usage = `answer ${renderGateQuestion(gate).replace(/ > $/, '')}`;
  switch (word) {
    case 'a':
    case 'approve':
      if (gate === 'failed') return invalid(`a failed stage cannot be approved: ${usage}`);
      return command({ type: 'approve' });
    case 't':
    case 'retry':
      if (gate !== 'failed') return invalid(`there is nothing to retry here: ${usage}`);
      return command({ type: 'retry' });
    case 'r':
    case 'revise':
      if (rest === '') return invalid('revise needs feedback text after it, e.g. "r use cursor pagination"');
      if (rest.length > 10_000) return invalid('the feedback is longer than 10,000 characters');
      return command({ type: 'revise', feedback: rest });
    case 'c':
    case 'cancel':
      return command({ type: 'cancel' });
    case 's':
    case 'skip-auth':
      if (gate !== 'credentials') return invalid(`skip-auth only applies at the credentials check: ${usage}`);
      return command({ type: 'skip-auth' });
    default:
      return invalid(trimmed === '' ? usage : `"${trimmed.slice(0, 40)}" is not an answer here: ${usage}`);
  }
}

function command(value: Command): GateAnswer {
  return { kind: 'command', command: value };
}

function invalid(message: string): GateAnswer {
  return { kind: 'invalid', message };
}
