import { TableName } from '../intake/schema.js';

/** A markdown section: its heading text, level, and the text below it up to the next heading at its level or above. */
export interface Section {
  heading: string;
  level: number;
  body: string;
}

/** Heading text without emphasis or code marks: `**Object List**` and `` `Setup` `` read as plain words. */
export function plainHeading(raw: string): string {
  return raw
    .replace(/[*`]+/g, '')
    .replace(/(^|\s)_+|_+(\s|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every ATX-headed section (`#`…`######`), fenced code skipped. */
export function sections(markdown: string): Section[] {
  const lines = markdown.split('\n');
  const heads: { index: number; level: number; heading: string }[] = [];
  let fenced = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const match = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (match) heads.push({ index, level: (match[1] ?? '').length, heading: plainHeading(match[2] ?? '') });
  });
  return heads.map((head, i) => {
    const end = heads.slice(i + 1).find((next) => next.level <= head.level)?.index ?? lines.length;
    return { heading: head.heading, level: head.level, body: lines.slice(head.index + 1, end).join('\n') };
  });
}

/** The first section whose heading matches `pattern`. */
export function findSection(markdown: string, pattern: RegExp): Section | undefined {
  return sections(markdown).find((section) => pattern.test(section.heading));
}

/** A table name as the bot tracks it (see {@link TableName}). */
const NAME = { test: (name: string) => TableName.safeParse(name).success };

/** A cell or item as a name: backticks, bold and trailing punctuation removed; null unless one identifier. */
function asName(raw: string): string | null {
  const name = raw
    .replace(/[`*]/g, '')
    .replace(/[.:;,]$/, '')
    .trim();
  return NAME.test(name) ? name : null;
}

/** The header cells of a markdown table row. */
function cells(line: string): string[] {
  return line
    .replace(/^\s*\|/, '')
    .replace(/\|\s*$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

const NAME_COLUMN = /\b(table|object|name|resource|stream|entity|report|segment)s?\b/i;

/**
 * Table names a section lists: the first identifier of each list item, and in markdown tables the
 * cell of the column headed like "Table"/"Object"/"Name" (else the first column). Rows of tables
 * under deeper headings are not read; deeper headings that are one identifier (`### \`issues\``,
 * `### issues object`) are.
 */
export function listedNames(body: string): string[] {
  const names: string[] = [];
  const add = (name: string | null) => {
    if (name && !names.includes(name)) names.push(name);
  };
  const lines = body.split('\n');
  const firstSub = lines.findIndex((line) => /^#{1,6}\s/.test(line));
  const own = firstSub === -1 ? lines : lines.slice(0, firstSub);
  let column = 0;
  own.forEach((line, index) => {
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      add(asName((item[1] ?? '').split(/\s+[-:—–(]|\s*[:—–(]\s|\s+/)[0] ?? ''));
      return;
    }
    if (!/^\s*\|/.test(line)) return;
    if (/^\s*\|?\s*:?-{3,}/.test(lines[index + 1] ?? '')) {
      const header = cells(line);
      const named = header.findIndex((cell) => NAME_COLUMN.test(cell.replace(/[`*]/g, '')));
      column = named === -1 ? 0 : named;
      return;
    }
    if (/^\s*\|?\s*:?-{3,}/.test(line)) return;
    add(asName(cells(line)[column] ?? ''));
  });
  if (names.length === 0) {
    for (const line of own.join(' ').split(/[.:]\s+|\n/)) {
      const list = line
        .trim()
        .replace(/[.,]$/, '')
        .split(/\s*,\s*/);
      if (list.length >= 3 && list.every((item) => NAME.test(item))) list.forEach(add);
    }
  }
  if (firstSub !== -1) {
    for (const line of lines.slice(firstSub)) {
      const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
      if (!heading) continue;
      const text = plainHeading(heading[1] ?? '').replace(/^\d+[.)]\s*/, '');
      const coded =
        /^`?([A-Za-z_][A-Za-z0-9_]*)`?(\s+(object|table|resource|stream|report|endpoint)\b.*|\s*\(.*\))?$/i.exec(
          text,
        );
      add(coded ? (coded[1] ?? null) : null);
    }
  }
  if (names.length === 0 && firstSub !== -1) {
    for (const sub of sections(lines.slice(firstSub).join('\n'))) {
      if (!/defer|exclu|not supported|future|unsupported/i.test(sub.heading))
        listedNames(sub.body).forEach(add);
    }
  }
  return names;
}

/**
 * True when `text` mentions `word` as a whole word, in any case, an underscore also matching a space
 * or hyphen (`cohort_members` is named by "Cohort Members").
 */
export function mentions(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/_/g, '[_ -]');
  return new RegExp(`(^|[^A-Za-z0-9_])${escaped}($|[^A-Za-z0-9_])`, 'i').test(text);
}
