import { assertNever } from '../assert-never.js';
import { PHASES } from '../pipeline/phase.js';
import type { Command, CommandName } from './schema.js';
import { shortenForReply } from './shorten-for-reply.js';
import { suggestNearestName } from './suggest-nearest-name.js';
import { parseTableList } from './table-list.js';

/** The longest `/revise` feedback accepted, in UTF-16 code units (the `Command` schema's limit). */
export const MAX_FEEDBACK_CHARS = 10_000;

/** A command built from its arguments, or what is wrong with them, as a sentence for the author. */
export type ArgumentsResult = { ok: true; command: Command } | { ok: false; message: string };

/**
 * Reads the arguments of a known command. `args` is the rest of the command line after the name;
 * `followingLines` gives the comment's later lines, read only by `/revise`, whose feedback is the
 * rest of its line plus every following line (so later `/word` lines become part of the feedback).
 */
export function parseCommandArguments(params: {
  name: CommandName;
  args: string;
  followingLines: () => string;
}): ArgumentsResult {
  const { name, args } = params;
  switch (name) {
    case 'approve':
    case 'retry':
    case 'skip-auth':
    case 'cancel':
    case 'status':
    case 'help':
      return parseNoArguments(name, args);
    case 'revise':
      return parseFeedback(`${args}\n${params.followingLines()}`);
    case 'restart':
      return parseRestartPhase(args);
    case 'add-tables': {
      const tables = parseTableList(args);
      return tables.ok ? { ok: true, command: { type: 'add-tables', tables: tables.tables } } : tables;
    }
    default:
      return assertNever(name);
  }
}

type NoArgumentName = 'approve' | 'retry' | 'skip-auth' | 'cancel' | 'status' | 'help';

function parseNoArguments(name: NoArgumentName, args: string): ArgumentsResult {
  if (args.trim() === '') return { ok: true, command: { type: name } };
  const hint = name === 'approve' || name === 'retry' ? '; to give feedback, use `/revise <text>`' : '';
  return { ok: false, message: `\`/${name}\` takes no arguments${hint}.` };
}

function parseFeedback(text: string): ArgumentsResult {
  const feedback = text.trim();
  if (feedback === '') {
    return {
      ok: false,
      message:
        '`/revise` needs feedback: write what to change after `/revise`, on the same line or below it.',
    };
  }
  if (feedback.length > MAX_FEEDBACK_CHARS) {
    return {
      ok: false,
      message: `\`/revise\` feedback is ${feedback.length} characters long; the limit is ${MAX_FEEDBACK_CHARS}.`,
    };
  }
  return { ok: true, command: { type: 'revise', feedback } };
}

function parseRestartPhase(args: string): ArgumentsResult {
  const words = args.replaceAll('`', ' ').trim().split(/\s+/).filter(Boolean);
  const phases = `one of ${PHASES.map((phase) => `\`${phase}\``).join(', ')}`;
  const [word, ...extra] = words;
  if (word === undefined) return { ok: false, message: `\`/restart\` needs a phase: ${phases}.` };
  if (extra.length > 0) return { ok: false, message: `\`/restart\` takes exactly one phase: ${phases}.` };
  const phase = PHASES.find((candidate) => candidate === word.toLowerCase());
  if (phase !== undefined) return { ok: true, command: { type: 'restart', phase } };
  return { ok: false, message: unknownPhaseMessage(word, phases) };
}

function unknownPhaseMessage(word: string, phases: string): string {
  const nearest = suggestNearestName(word, PHASES);
  const hint = nearest === null ? '' : ` Did you mean \`${nearest}\`?`;
  return `\`${shortenForReply(word)}\` is not a phase; \`/restart\` needs ${phases}.${hint}`;
}
