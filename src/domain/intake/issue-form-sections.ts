/** One `### <label>` section of a GitHub issue-form body, in body order. */
export interface IssueFormSection {
  /** The heading text after `### `, trimmed, as written (compare labels with {@link isSameLabel}). */
  label: string;
  /** The lines under the heading up to the next `###` heading, trimmed; may be `_No response_`. */
  value: string;
}

/** A level-3 ATX heading at the start of a line. Anchored and linear: no nested quantifiers. */
const HEADING = /^###[ \t]+(\S.*)$/;
const QUOTE_MAX_CHARS = 60;

/**
 * Splits an issue-form body into its `### <label>` sections.
 *
 * Line endings are normalised to `\n`. HTML comments are replaced by a space before splitting (an unclosed
 * `<!--` hides the rest of the body, as it does on GitHub), so hidden text can never add a section. Text
 * before the first heading is ignored. Headings inside code fences are still headings: GitHub writes the
 * real ones at the start of a line, and an extra known heading is reported as ambiguous by the caller.
 */
export function parseIssueFormSections(body: string): IssueFormSection[] {
  const lines = stripHtmlComments(body.replace(/\r\n?/g, '\n')).split('\n');
  const sections: IssueFormSection[] = [];
  let current: { label: string; lines: string[] } | undefined;
  for (const line of lines) {
    const label = HEADING.exec(line)?.[1];
    if (label === undefined) {
      current?.lines.push(line);
      continue;
    }
    if (current) sections.push({ label: current.label, value: current.lines.join('\n').trim() });
    current = { label: label.trim(), lines: [] };
  }
  if (current) sections.push({ label: current.label, value: current.lines.join('\n').trim() });
  return sections;
}

/** Replaces each `<!-- … -->` with a space; an unclosed `<!--` removes everything after it. Linear time. */
function stripHtmlComments(text: string): string {
  let result = '';
  let from = 0;
  for (;;) {
    const start = text.indexOf('<!--', from);
    if (start === -1) return result + text.slice(from);
    result += `${text.slice(from, start)} `;
    const end = text.indexOf('-->', start + 2);
    if (end === -1) return result;
    from = end + 3;
  }
}

/** Whether two section labels name the same field: case-insensitive, ignoring outer and repeated spaces. */
export function isSameLabel(a: string, b: string): boolean {
  return normaliseLabel(a) === normaliseLabel(b);
}

function normaliseLabel(label: string): string {
  return label.trim().split(/\s+/).join(' ').toLowerCase();
}

/** Whether a field value is blank or GitHub's `_No response_` placeholder for an unanswered field. */
export function isNoResponse(value: string): boolean {
  const text = value.trim();
  return text === '' || text.toLowerCase() === '_no response_';
}

/** The non-blank lines of a list value, trimmed, without a leading markdown bullet (`- `, `* `, `+ `, `1. `). */
export function splitListLines(value: string): string[] {
  return value
    .split(/\r\n?|\n/)
    .map((line) =>
      line
        .trim()
        .replace(/^(?:[-*+]|\d{1,9}[.)])[ \t]+/, '')
        .trim(),
    )
    .filter((line) => line !== '');
}

/** The links in a list value: `[text](url)` and `<url>` unwrapped, split on lines, whitespace and commas. */
export function splitLinkList(value: string): string[][] {
  return splitListLines(value).map((line) =>
    line
      .replace(/\[[^[\]\n]{0,500}\]\(<?([^()<>\s]{1,2048})>?(?:\s+"[^"\n]{0,500}")?\)/g, ' $1 ')
      .replace(/<([^<>\s]{1,2048})>/g, ' $1 ')
      .split(/\s+|,(?=\s|$|https?:)/i)
      .filter((token) => token !== ''),
  );
}

/** The names in a list value, split on lines and commas, each without surrounding spaces and backticks. */
export function splitNameList(value: string): string[] {
  return splitListLines(value)
    .flatMap((line) => line.split(','))
    .map(unwrapBackticks)
    .filter((name) => name !== '');
}

/** `value` without surrounding whitespace and backticks, e.g. `` `contacts` `` → `contacts`. */
export function unwrapBackticks(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isTrimmable(value.charAt(start))) start += 1;
  while (end > start && isTrimmable(value.charAt(end - 1))) end -= 1;
  return value.slice(start, end);
}

function isTrimmable(char: string): boolean {
  return char === '`' || char.trim() === '';
}

/**
 * Quotes an untrusted value for an error message a bot posts: whitespace runs become one space, control,
 * format (zero-width, bidi override) and surrogate characters are removed, backticks become `'`, the
 * result is cut to 60 characters and wrapped in a code span (so `@mentions` and markdown stay inert).
 */
export function quoteForMessage(value: string): string {
  const cleaned = value
    .replace(/\s+/g, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/gu, '')
    .replaceAll('`', "'")
    .trim();
  if (cleaned === '') return '(only invisible characters)';
  const chars = Array.from(cleaned);
  const shown = chars.length > QUOTE_MAX_CHARS ? `${chars.slice(0, QUOTE_MAX_CHARS - 1).join('')}…` : cleaned;
  return `\`${shown}\``;
}
