/** A markdown section: its heading text, level, and the text below it up to the next heading at its level or above. */
export interface Section {
  heading: string;
  level: number;
  body: string;
}

/** Every ATX-headed section (`#`…`######`), fenced code skipped. */
export function sections(markdown: string): Section[] {
  const lines = markdown.split('\n');
  const heads: { index: number; level: number; heading: string }[] = [];
  let fenced = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const match = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (match) heads.push({ index, level: (match[1] ?? '').length, heading: match[2] ?? '' });
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

const NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Lower-snake names a section lists: the first word of each list item, or the first cell of each
 * table row (backticks and bold stripped). Header and separator rows, and other text, are ignored.
 */
export function listedNames(body: string): string[] {
  const names: string[] = [];
  const lines = body.split('\n');
  lines.forEach((line, index) => {
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    const header = /^\s*\|?\s*:?-{3,}/.test(lines[index + 1] ?? '');
    const row = header ? null : /^\s*\|([^|]*)\|/.exec(line);
    const cell = item ? (item[1] ?? '').split(/[\s:—–(]/)[0] : row?.[1];
    const name = (cell ?? '').replace(/[`*]/g, '').trim();
    if (NAME.test(name) && !names.includes(name)) names.push(name);
  });
  return names;
}

/** True when `text` mentions `word` as a whole word (underscores count as word characters). */
export function mentions(text: string, word: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])${word}($|[^A-Za-z0-9_])`).test(text);
}
