import { assertNever } from '../assert-never.js';
import { parseCommandArguments } from './command-arguments.js';
import { parseCommentLines } from './command-lines.js';
import { COMMAND_PREFIX, prefixCommandMentions, spellCommand } from './command-prefix.js';
import { COMMAND_NAMES, Command, type CommandName, type ParseCommandResult } from './schema.js';
import { suggestNearestName } from './suggest-nearest-name.js';

/** What follows the `/` of a candidate line (after `/lakeflow`, when `prefixed`). */
type Head =
  /** Not meant as a command: a path, a URL, `//`, a lone `/`. */
  | { kind: 'none' }
  /** `/lakeflow` with nothing after it. */
  | { kind: 'prefix_alone' }
  /** A `/word` followed by whitespace or the end of the line; `word` is lower-cased. */
  | { kind: 'word'; word: string; args: string; prefixed: boolean }
  /** A known command glued to trailing punctuation, like `/approve.` or `/approve!`. */
  | { kind: 'punctuated'; word: CommandName; punctuation: string; prefixed: boolean };

const HEAD = /^\/(\S*)([\s\S]*)$/;
const AFTER_PREFIX = /^[\s\u200B-\u200D\u2060\uFEFF]*(\S*)([\s\S]*)$/;
const WORD = /^[a-z][a-z0-9_-]{0,31}$/i;
const PUNCTUATED_WORD = /^([a-z][a-z0-9_-]{0,31})([.,!?;:]+)$/i;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
const PREFIX_ALONE_MESSAGE = `\`/${COMMAND_PREFIX}\` needs a command after it, e.g. \`${spellCommand('approve', true)}\`; \`${spellCommand('help', true)}\` lists them.`;

/**
 * Reads a comment for a slash command (README, Commands). Never throws, for any string.
 *
 * - A command is a line whose first visible character is `/`, indented by at most 3 spaces. Lines in
 *   fenced or indented code, quotes and HTML comments never count (see `parseCommentLines`), nor does
 *   a `/` later in a line (`please /approve`). Only the first 64 KB of the comment is read.
 * - Only the **first** command line counts; later ones are ignored, so `/approve` then `/cancel`
 *   approves. Lines that are not meant as commands (`/usr/bin`, `//`, a lone `/`) are skipped, so a
 *   path on an earlier line does not hide the command. `/revise` takes the rest of its line and all
 *   following lines as its feedback.
 * - `/lakeflow <command>` means `/<command>` (`lakeflow` in any case, then the name by the same
 *   rules), so a repository where other bots answer `/approve` can tell them apart; the result says
 *   `prefixed`, and its messages use the form the author wrote. `/lakeflow` alone gets a hint; a
 *   line whose next token is no name (`/lakeflow /approve`, a bidirectional control) is prose.
 * - Names match case-insensitively and must end at whitespace or the end of the line: `/approved`
 *   is an unknown command, answered with a "Did you mean" hint. A known name glued to punctuation
 *   (`/approve.`) is answered too; an unknown one (`/shrug.`) is taken as prose and ignored.
 * - Zero-width characters and a BOM before the `/` and inside the name are ignored. Bidirectional
 *   controls are not: a line that starts with one, or a name that holds one, is not a command, so
 *   text that displays as `/approve` but is stored reordered never runs.
 * - Argument errors become `invalid` with a message for the author; `name` is the lower-cased word.
 *   A command is checked against the `Command` schema before it is returned.
 */
export function parseCommand(commentBody: string): ParseCommandResult {
  const { lines, candidates } = parseCommentLines(commentBody);
  for (const candidate of candidates) {
    const head = parseHead(candidate.text);
    switch (head.kind) {
      case 'none':
        continue;
      case 'prefix_alone':
        return { kind: 'invalid', name: COMMAND_PREFIX, message: PREFIX_ALONE_MESSAGE, prefixed: true };
      case 'punctuated': {
        const written = spellCommand(head.word, head.prefixed);
        const message = `Write \`${written}\` on its own, without the \`${head.punctuation}\` after it.`;
        return { kind: 'invalid', name: head.word, message, prefixed: head.prefixed };
      }
      case 'word':
        return parseWord(head, () => lines.slice(candidate.index + 1).join('\n'));
      default:
        return assertNever(head);
    }
  }
  return { kind: 'none' };
}

function parseHead(text: string): Head {
  const match = HEAD.exec(text);
  const token = (match?.[1] ?? '').replace(ZERO_WIDTH, '');
  const rest = match?.[2] ?? '';
  if (token.toLowerCase() !== COMMAND_PREFIX) return parseName(token, rest, false);
  const after = AFTER_PREFIX.exec(rest);
  const name = (after?.[1] ?? '').replace(ZERO_WIDTH, '');
  return name === '' ? { kind: 'prefix_alone' } : parseName(name, after?.[2] ?? '', true);
}

function parseName(token: string, args: string, prefixed: boolean): Head {
  if (WORD.test(token)) return { kind: 'word', word: token.toLowerCase(), args, prefixed };
  const punctuated = PUNCTUATED_WORD.exec(token);
  const word = punctuated?.[1]?.toLowerCase() ?? '';
  if (isCommandName(word)) return { kind: 'punctuated', word, punctuation: punctuated?.[2] ?? '', prefixed };
  return { kind: 'none' };
}

function parseWord(
  head: { word: string; args: string; prefixed: boolean },
  followingLines: () => string,
): ParseCommandResult {
  const { word: name, prefixed } = head;
  const invalid = (message: string): ParseCommandResult => ({ kind: 'invalid', name, message, prefixed });
  if (!isCommandName(name)) return invalid(unknownCommandMessage(name, prefixed));
  const parsed = parseCommandArguments({ name, args: head.args, followingLines });
  // The argument messages name the commands bare; an author who wrote the prefix reads it back.
  if (!parsed.ok) return invalid(prefixed ? prefixCommandMentions(parsed.message) : parsed.message);
  const checked = Command.safeParse(parsed.command);
  if (!checked.success) {
    return invalid(`The bot could not read the arguments of \`${spellCommand(name, prefixed)}\`.`);
  }
  return { kind: 'command', command: checked.data, prefixed };
}

function unknownCommandMessage(name: string, prefixed: boolean): string {
  const nearest = suggestNearestName(name, COMMAND_NAMES);
  const hint =
    nearest === null
      ? `Comment \`${spellCommand('help', prefixed)}\` to see the commands.`
      : `Did you mean \`${spellCommand(nearest, prefixed)}\`?`;
  return `\`${spellCommand(name, prefixed)}\` is not a command. ${hint}`;
}

function isCommandName(word: string): word is CommandName {
  return COMMAND_NAMES.some((name) => name === word);
}
