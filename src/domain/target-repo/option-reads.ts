import type { PythonModule } from './python/python-module.js';
import { childrenOf, descendants, type SyntaxNode, stringValue, textOf } from './python/syntax.js';

/** Names that hold the connection options in connector code (`options`, `self._options`, …). */
const OPTION_HOLDERS = /^(self\.)?_?(options|opts|connection_options)$/;
/** Names that hold a table's options. */
const TABLE_OPTION_HOLDERS = /^(self\.)?_?table_options$/;

const READ_NODES = new Set(['CallExpression', 'MemberExpression']);

function keyValue(module: PythonModule, node: SyntaxNode | null | undefined): string | null {
  if (!node) return null;
  const literal = stringValue(module.syntax, node);
  if (literal !== null) return literal;
  if (node.name !== 'VariableName') return null;
  const constant = module.assignments.get(textOf(module.syntax, node));
  return constant ? stringValue(module.syntax, constant) : null;
}

function args(node: SyntaxNode): SyntaxNode[] {
  const list = node.getChild('ArgList');
  return list ? childrenOf(list).filter((c) => !['(', ')', ','].includes(c.name)) : [];
}

/**
 * The keys a module reads from a holder of options: `holder["k"]`, `holder.get("k", …)`,
 * `holder.pop("k")`, a module constant as the key, and helpers called with the holder and a key
 * (`_require(options, "k")`). F-strings and computed keys are not keys.
 */
/** A function a connector module defines: its parameter names and body text, for resolving helper reads. */
export interface HelperFunction {
  params: string[];
  body: string;
}

/** Finds a connector function or method by name (the last segment of `self._require`, `utils.require`). */
export type HelperLookup = (name: string) => HelperFunction | null;

/** True when a helper reads its parameter `key` from its parameter `holder` (`holder[key]`, `holder.get(key`). */
function helperReadsKey(helper: HelperFunction, holder: string, key: string): boolean {
  return new RegExp(`\\b${holder}\\s*(\\[\\s*${key}\\s*\\]|\\.(get|pop)\\(\\s*${key}\\b)`).test(helper.body);
}

function insideFormatString(node: SyntaxNode): boolean {
  for (let up = node.parent; up; up = up.parent) if (up.name === 'FormatString') return true;
  return false;
}

function keysReadFrom(module: PythonModule, holder: RegExp, helpers: HelperLookup): string[] {
  const keys = new Set<string>();
  const text = (node: SyntaxNode) => textOf(module.syntax, node).replace(/\s+/g, '');
  for (const node of descendants(module.syntax.root, READ_NODES)) {
    if (insideFormatString(node)) continue;
    if (node.name === 'MemberExpression') {
      const [object, bracket, key] = childrenOf(node);
      if (object && bracket?.name === '[' && holder.test(text(object))) {
        const value = keyValue(module, key);
        if (value !== null) keys.add(value);
      }
      continue;
    }
    const callee = node.firstChild;
    if (!callee) continue;
    const list = args(node);
    if (callee.name === 'MemberExpression') {
      const [object, , method] = childrenOf(callee);
      if (
        object &&
        method &&
        holder.test(text(object)) &&
        ['get', 'pop', 'setdefault'].includes(text(method))
      ) {
        const value = keyValue(module, list[0]);
        if (value !== null) keys.add(value);
        continue;
      }
    }
    const holderAt = list.findIndex((arg) => holder.test(text(arg)));
    const helper = holderAt === -1 ? null : helpers(text(callee).split('.').pop() ?? '');
    const offset = helper?.params[0] === 'self' || helper?.params[0] === 'cls' ? 1 : 0;
    const holderParam = helper?.params[holderAt + offset];
    const keyParam = helper?.params[holderAt + offset + 1];
    if (helper && holderParam && keyParam && helperReadsKey(helper, holderParam, keyParam)) {
      const value = keyValue(module, list[holderAt + 1]);
      if (value !== null) keys.add(value);
    }
  }
  return [...keys];
}

/** Connection option keys a module reads (helpers resolved through `helpers`). */
export function connectionOptionReads(module: PythonModule, helpers: HelperLookup): string[] {
  return keysReadFrom(module, OPTION_HOLDERS, helpers);
}

/** Table option keys a module reads (helpers resolved through `helpers`). */
export function tableOptionReads(module: PythonModule, helpers: HelperLookup): string[] {
  return keysReadFrom(module, TABLE_OPTION_HOLDERS, helpers);
}

/** A lookup over the functions and methods of `modules` (first definition of a name wins). */
export function helperLookup(modules: readonly PythonModule[]): HelperLookup {
  const found = new Map<string, HelperFunction>();
  for (const module of modules) {
    const fns = [...module.functions.values(), ...module.classes.flatMap((cls) => [...cls.methods.values()])];
    for (const fn of fns) {
      if (found.has(fn.name)) continue;
      const list = fn.node.getChild('ParamList');
      const params = list
        ? childrenOf(list)
            .filter((c) => c.name === 'VariableName')
            .map((c) => textOf(module.syntax, c))
        : [];
      found.set(fn.name, { params, body: textOf(module.syntax, fn.node) });
    }
  }
  return (name) => found.get(name) ?? null;
}
