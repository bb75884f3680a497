/**
 * A small static reader of Python source: classes and their bases, method bodies, and the string
 * literals of list/dict literals. It reads text only; it never runs or fully parses Python.
 */

/** A class definition: its name, its base expressions, and its indented body. */
export interface PythonClass {
  name: string;
  bases: string[];
  body: string;
}

const CLASS_HEADER = /^class\s+(\w+)\s*\(([^)]*)\)\s*:/gm;

/** Every top-level class with explicit bases. */
export function pythonClasses(source: string): PythonClass[] {
  return [...source.matchAll(CLASS_HEADER)].map((match) => ({
    name: match[1] ?? '',
    bases: (match[2] ?? '')
      .split(',')
      .map((base) => base.trim())
      .filter((base) => base.length > 0),
    body: indentedBlock(source, (match.index ?? 0) + match[0].length, 0),
  }));
}

/** True when a base expression names `base` (bare or dotted, e.g. `interface.LakeflowConnect`). */
export function hasBase(cls: PythonClass, base: string): boolean {
  return cls.bases.some((expr) => expr === base || expr.endsWith(`.${base}`));
}

/** The text after `from` up to the first line indented at or below `indent` (comments and blanks skipped). */
function indentedBlock(source: string, from: number, indent: number): string {
  const lines = source.slice(from).split('\n');
  const kept = [lines[0] ?? ''];
  for (const line of lines.slice(1)) {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#') && line.length - line.trimStart().length <= indent) break;
    kept.push(line);
  }
  return kept.join('\n');
}

/** The body of method `name` inside `classBody`, or null when it is not defined there. */
export function methodBody(classBody: string, name: string): string | null {
  const match = new RegExp(`^([ \\t]+)def\\s+${name}\\s*\\(`, 'm').exec(classBody);
  if (!match) return null;
  return indentedBlock(classBody, match.index + match[0].length, (match[1] ?? '').length);
}

/** From `text[start]` (an opening bracket), the text through its matching close, strings respected. */
export function balanced(text: string, start: number): string | null {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return null;
}

/**
 * The string literals directly inside a list/tuple/set literal, or the string keys of a dict literal
 * (nested values are skipped). Null when the literal holds anything but strings at the top level.
 */
export function literalStrings(literal: string): string[] | null {
  const isDict = literal.startsWith('{') && /^\{\s*(["'][^"']*["']\s*:|\})/.test(literal);
  const inner = literal.slice(1, -1);
  const out: string[] = [];
  let i = 0;
  while (i < inner.length) {
    const rest = inner.slice(i);
    const blank = /^[\s,]+|^#[^\n]*/.exec(rest);
    if (blank) {
      i += blank[0].length;
      continue;
    }
    const str = /^(["'])((?:\\.|(?!\1).)*)\1/.exec(rest);
    if (!str) return null;
    out.push(str[2] ?? '');
    i += str[0].length;
    if (!isDict) continue;
    const colon = /^\s*:\s*/.exec(inner.slice(i));
    if (!colon) return null;
    i += colon[0].length;
    i = skipValue(inner, i);
  }
  return out;
}

/** The index just after the dict value starting at `i` (up to the next top-level comma). */
function skipValue(text: string, i: number): number {
  let j = i;
  while (j < text.length && text[j] !== ',') {
    const ch = text[j] ?? '';
    if ('([{'.includes(ch)) j += (balanced(text, j) ?? text.slice(j)).length;
    else if (ch === '"' || ch === "'") j += /^(["'])(?:\\.|(?!\1).)*\1/.exec(text.slice(j))?.[0].length ?? 1;
    else j++;
  }
  return j;
}

/** The literal assigned to `NAME = [...]`/`{...}`/`(...)` at module or class level, or null. */
export function assignedLiteral(source: string, name: string): string | null {
  const match = new RegExp(`^[ \\t]*${name}\\s*(?::[^=\\n]+)?=\\s*(?=[\\[{(])`, 'm').exec(source);
  return match ? balanced(source, match.index + match[0].length) : null;
}

/**
 * The table names a `list_tables` body returns: a literal (`return ["a", "b"]`) or a list/dict
 * it references (`return list(TABLES)`, `return list(SCHEMAS.keys())`, `return self.TABLES`).
 * Null when the return expression is anything else.
 */
export function returnedNames(body: string, module: string): string[] | null {
  const ret = /\breturn\s+/.exec(body);
  if (!ret) return null;
  const start = ret.index + ret[0].length;
  const opener = body[start] ?? '';
  if ('[({'.includes(opener)) {
    const literal = balanced(body, start);
    return literal ? literalStrings(literal) : null;
  }
  const line = body.slice(start).split('\n')[0]?.trim() ?? '';
  const ref = /^(?:(?:list|sorted|tuple)\()?(?:(?:self|cls|\w+)\.)?([A-Za-z_]\w*)(?:\.keys\(\))?\)?$/.exec(
    line,
  );
  const literal = ref?.[1] ? assignedLiteral(module, ref[1]) : null;
  return literal ? literalStrings(literal) : null;
}

/** Top-level module names imported anywhere (`import a.b`, `from a import b`); relative imports skipped. */
export function importedModules(source: string): string[] {
  const code = source.replace(/"""[\s\S]*?"""|'''[\s\S]*?'''/g, '');
  const names: string[] = [];
  const plain =
    /^[ \t]*import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)[ \t]*(?:#.*)?$/gm;
  for (const match of code.matchAll(plain)) {
    for (const part of (match[1] ?? '').split(',')) names.push(part.trim().split(/\s+/)[0] ?? '');
  }
  for (const match of code.matchAll(/^[ \t]*from[ \t]+([\w.]+)[ \t]+import\b/gm)) names.push(match[1] ?? '');
  return names.filter((name) => name !== '' && !name.startsWith('.'));
}

/** Keys read as `options["k"]` / `options.get("k")` (including `self.options`), in order, once each. */
export function keysReadFrom(source: string, variable: string): string[] {
  const pattern = new RegExp(`\\b${variable}(?:\\[\\s*|\\.get\\(\\s*)(["'])([^"'\\n]+)\\1`, 'g');
  return [...new Set([...source.matchAll(pattern)].map((match) => match[2] ?? ''))];
}
