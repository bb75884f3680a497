import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';

export type { SyntaxNode };

/** A parsed Python module: its source text and the root of its syntax tree. */
export interface PythonSyntax {
  text: string;
  root: SyntaxNode;
}

/** Parses Python source with the error-tolerant Lezer grammar (never throws). */
export function parsePython(text: string): PythonSyntax {
  return { text, root: parser.parse(text).topNode };
}

/** The source text a node spans. */
export function textOf(syntax: PythonSyntax, node: SyntaxNode): string {
  return syntax.text.slice(node.from, node.to);
}

/** The 1-based line a node starts on. */
export function lineOf(syntax: PythonSyntax, node: SyntaxNode): number {
  let line = 1;
  for (let i = 0; i < node.from; i++) if (syntax.text.charCodeAt(i) === 10) line++;
  return line;
}

/** The direct children of a node, in order. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

/** Every node below `node` (depth first, `node` excluded) whose type name is in `names`. */
export function descendants(
  node: SyntaxNode,
  names: ReadonlySet<string>,
  out: SyntaxNode[] = [],
): SyntaxNode[] {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (names.has(child.name)) out.push(child);
    descendants(child, names, out);
  }
  return out;
}

/** The 1-based line of the first syntax error, or null when the module parses cleanly. */
export function firstSyntaxError(syntax: PythonSyntax): number | null {
  const cursor = syntax.root.cursor();
  do {
    if (cursor.type.isError) return lineOf(syntax, cursor.node);
  } while (cursor.next());
  return null;
}

/** The value of one Python string literal (`'a'`, `r"x"`, `"""t"""`), or null for f-strings and bytes. */
export function stringLiteral(raw: string): string | null {
  const match = /^([rRuUbB]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(raw);
  if (!match) return null;
  const prefix = (match[1] ?? '').toLowerCase();
  if (prefix.includes('b')) return null;
  const body = match[3] ?? '';
  if (prefix.includes('r')) return body;
  return body.replace(/\\(\r?\n|[\\'"abfnrtv0]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/g, (_, esc: string) => {
    if (esc.startsWith('x') || esc.startsWith('u'))
      return String.fromCharCode(Number.parseInt(esc.slice(1), 16));
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '0': '\0',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
    };
    if (esc === '\n' || esc === '\r\n') return '';
    return simple[esc] ?? esc;
  });
}

/** The value of a `String` or `ContinuedString` node (adjacent literals joined), or null when not a plain string. */
export function stringValue(syntax: PythonSyntax, node: SyntaxNode): string | null {
  if (node.name === 'String') return stringLiteral(textOf(syntax, node));
  if (node.name === 'ContinuedString') {
    const parts = childrenOf(node).map((part) =>
      part.name === 'String' ? stringLiteral(textOf(syntax, part)) : null,
    );
    return parts.every((part) => part !== null) ? parts.join('') : null;
  }
  if (node.name === 'ParenthesizedExpression') {
    const inner = childrenOf(node).filter((child) => child.name !== '(' && child.name !== ')');
    return inner.length === 1 && inner[0] ? stringValue(syntax, inner[0]) : null;
  }
  return null;
}
