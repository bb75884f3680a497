import { parseCommandArguments } from './command-arguments.js';
import { parseCommentLines } from './command-lines.js';
import { COMMAND_NAMES, Command, type CommandName, type ParseCommandResult } from './schema.js';
import { suggestNearestName } from './suggest-nearest-name.js';

/** What follows the `/` of a candidate line. */
type Head =
  /** Not meant as a command: a path, a URL, `//`, a lone `/`. */
  | { kind: 'none' }
  /** A `/word` followed by whitespace or the end of the line; `word` is lower-cased. */
  | { kind: 'word'; word: string; args: string }
  /** A known command glued to trailing punctuation, like `/approve.` or `/approve!`. */
  | { kind: 'punctuated'; word: CommandName; punctuation: string };

const HEAD = /^\/(\S*)([\s\S]*)$/;
const WORD = /^[a-z][a-z0-9_-]{0,31}$/i;
const PUNCTUATED_WORD = /^([a-z][a-z0-9_-]{0,31})([.,!?;:]+)$/i;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;

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
    if (head.kind === 'none') continue;
    if (head.kind === 'punctuated') {
      const message = `Write \`/${head.word}\` on its own, without the \`${head.punctuation}\` after it.`;
      return { kind: 'invalid', name: head.word, message };
    }
    return parseWord(head, () => lines.slice(candidate.index + 1).join('\n'));
  }
  return { kind: 'none' };
}

function parseHead(text: string): Head {
  const match = HEAD.exec(text);
  const token = (match?.[1] ?? '').replace(ZERO_WIDTH, '');
  if (WORD.test(token)) return { kind: 'word', word: token.toLowerCase(), args: match?.[2] ?? '' };
  const punctuated = PUNCTUATED_WORD.exec(token);
  const word = punctuated?.[1]?.toLowerCase() ?? '';
  if (isCommandName(word)) return { kind: 'punctuated', word, punctuation: punctuated?.[2] ?? '' };
  return { kind: 'none' };
}

function parseWord(head: { word: string; args: string }, followingLines: () => string): ParseCommandResult {
  const name = head.word;
  if (!isCommandName(name)) return { kind: 'invalid', name, message: unknownCommandMessage(name) };
  const parsed = parseCommandArguments({ name, args: head.args, followingLines });
  if (!parsed.ok) return { kind: 'invalid', name, message: parsed.message };
  const checked = Command.safeParse(parsed.command);
  if (!checked.success) {
    return { kind: 'invalid', name, message: `The bot could not read the arguments of \`/${name}\`.` };
  }
  return { kind: 'command', command: checked.data };
}

function unknownCommandMessage(name: string): string {
  const nearest = suggestNearestName(name, COMMAND_NAMES);
  const hint = nearest === null ? 'Comment `/help` to see the commands.' : `Did you mean \`/${nearest}\`?`;
  return `\`/${name}\` is not a command. ${hint}`;
}

function isCommandName(word: string): word is CommandName {
  return COMMAND_NAMES.some((name) => name === word);
}
