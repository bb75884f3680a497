import { assertNever } from '../assert-never.js';

/** How much of a comment is scanned for a command; anything after the first 64 KB is ignored. */
export const MAX_SCANNED_CHARS = 65_536;

/** A line that may hold a command: it starts with `/` outside code, quotes and HTML comments. */
export interface CandidateLine {
  /** Index of the line in {@link CommentLines.lines}. */
  index: number;
  /** The line from its `/` on, with leading spaces, invisible characters and HTML comments removed. */
  text: string;
}

/** A comment split into lines, with the lines that may hold a command. */
export interface CommentLines {
  /** The scanned part of the comment, line by line (CRLF and lone CR count as line breaks). */
  lines: readonly string[];
  /** Candidate command lines, in comment order. */
  candidates: readonly CandidateLine[];
}

type ScanState =
  /** Ordinary markdown text. */
  | { kind: 'text' }
  /** Inside a fenced code block opened by `length` copies of `char`. */
  | { kind: 'fence'; char: string; length: number }
  /** Inside an HTML comment that has not been closed yet. */
  | { kind: 'comment' };

const TEXT: ScanState = { kind: 'text' };
const INVISIBLE_PREFIX = /^[ \u200B-\u200D\u2060\uFEFF]*/;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
const FENCE_OPENING = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSING = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const CODE_SPAN = /(`+)[^`]*?\1/g;

/**
 * Splits a comment into lines and picks the lines a person could have meant as a command: those
 * whose first visible character is `/`, indented by at most 3 spaces (zero-width characters and a
 * BOM do not count). Lines never picked: inside fenced code (```` ``` ```` or `~~~`, until the
 * matching fence or the end of the comment), quoted (`>`), indented code (4+ spaces or a tab), and
 * inside `<!-- … -->`, including the line that closes a comment. Structure follows CommonMark
 * closely enough that hidden or quoted text never counts; where it differs, it skips more.
 */
export function parseCommentLines(body: string): CommentLines {
  const lines = body.slice(0, MAX_SCANNED_CHARS).replace(/\r\n?/g, '\n').split('\n');
  const candidates: CandidateLine[] = [];
  let state = TEXT;
  lines.forEach((line, index) => {
    const step = scanLine(state, line);
    state = step.state;
    if (step.text !== null) candidates.push({ index, text: step.text });
  });
  return { lines, candidates };
}

function scanLine(state: ScanState, line: string): { state: ScanState; text: string | null } {
  switch (state.kind) {
    case 'comment':
      return { state: line.includes('-->') ? TEXT : state, text: null };
    case 'fence':
      return { state: isClosingFence(line, state) ? TEXT : state, text: null };
    case 'text':
      return scanTextLine(line);
    default:
      return assertNever(state);
  }
}

function scanTextLine(line: string): { state: ScanState; text: string | null } {
  if (isIndentedCodeOrQuote(line)) return { state: TEXT, text: null };
  const fence = parseFenceOpening(line);
  if (fence !== null) return { state: fence, text: null };
  const { visible, unclosed } = cutHtmlComments(line);
  return { state: unclosed ? { kind: 'comment' } : TEXT, text: commandText(visible) };
}

function isIndentedCodeOrQuote(line: string): boolean {
  const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
  return indent.includes('\t') || indent.length >= 4 || line.slice(indent.length).startsWith('>');
}

function parseFenceOpening(line: string): ScanState | null {
  const match = FENCE_OPENING.exec(line);
  const fence = match?.[1];
  if (fence === undefined) return null;
  const char = fence.charAt(0);
  if (char === '`' && (match?.[2] ?? '').includes('`')) return null;
  return { kind: 'fence', char, length: fence.length };
}

function isClosingFence(line: string, open: { char: string; length: number }): boolean {
  const fence = FENCE_CLOSING.exec(line)?.[1];
  return fence !== undefined && fence.charAt(0) === open.char && fence.length >= open.length;
}

/**
 * Removes `<!-- … -->` from a line; `unclosed` when a comment opens and does not close on it.
 * `<!--` inside inline code (`` `<!--` ``) does not open a comment.
 */
function cutHtmlComments(line: string): { visible: string; unclosed: boolean } {
  const mask = line.replace(CODE_SPAN, (span) => ' '.repeat(span.length));
  let visible = '';
  let from = 0;
  for (;;) {
    const start = mask.indexOf('<!--', from);
    if (start < 0) return { visible: visible + line.slice(from), unclosed: false };
    visible += line.slice(from, start);
    const end = line.indexOf('-->', start + 4);
    if (end < 0) return { visible, unclosed: true };
    from = end + 3;
  }
}

function commandText(line: string): string | null {
  const prefix = INVISIBLE_PREFIX.exec(line)?.[0] ?? '';
  const spaces = prefix.replace(INVISIBLE, '').length;
  const rest = line.slice(prefix.length);
  return spaces <= 3 && rest.startsWith('/') ? rest : null;
}
