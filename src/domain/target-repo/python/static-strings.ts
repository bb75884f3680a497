import type { PythonClass, PythonFunction, PythonModule } from './python-module.js';
import { childrenOf, type SyntaxNode, stringValue, textOf } from './syntax.js';

/**
 * Strings an expression is known to hold: every value when `exact`, else only some of them (the
 * rest is computed at run time).
 */
export interface KnownStrings {
  values: string[];
  exact: boolean;
}

/** Where a name is looked up: the function, its class, its module, and the modules it imports from. */
export interface Scope {
  module: PythonModule;
  cls?: PythonClass;
  fn?: PythonFunction;
  /** The module and name an imported local name refers to, or null when it is not a connector module. */
  resolveImport: (module: PythonModule, name: string) => { module: PythonModule; name: string } | null;
}

const WRAPPERS = new Set(['list', 'sorted', 'tuple', 'set', 'frozenset', 'dict']);
const VIEWS = new Set(['copy', 'keys']);
const MAX_DEPTH = 12;

function union(parts: (KnownStrings | null)[]): KnownStrings | null {
  const known = parts.filter((part): part is KnownStrings => part !== null);
  if (known.length === 0) return null;
  return {
    values: [...new Set(known.flatMap((part) => part.values))],
    exact: known.length === parts.length && known.every((part) => part.exact),
  };
}

function inner(node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).filter((child) => !['(', ')', '[', ']', '{', '}', ','].includes(child.name));
}

function elements(scope: Scope, items: SyntaxNode[], depth: number): KnownStrings {
  const parts: (KnownStrings | null)[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as SyntaxNode;
    if (item.name === '*' || item.name === '**') {
      const next = items[++i];
      parts.push(next ? evaluate(scope, next, depth + 1) : null);
      continue;
    }
    const value = stringValue(scope.module.syntax, item);
    parts.push(value === null ? null : { values: [value], exact: true });
  }
  return union(parts) ?? { values: [], exact: parts.length === 0 };
}

function dictKeys(scope: Scope, node: SyntaxNode, depth: number): KnownStrings {
  const items = inner(node);
  const keys: SyntaxNode[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as SyntaxNode;
    if (item.name === '**') keys.push(item, items[++i] as SyntaxNode);
    else if (items[i + 1]?.name === ':') {
      keys.push(item);
      i += 2;
    }
  }
  return elements(scope, keys, depth);
}

function comprehension(scope: Scope, node: SyntaxNode, depth: number): KnownStrings | null {
  const parts = inner(node);
  const forAt = parts.findIndex((part) => part.name === 'for');
  const head = parts[0];
  const variable = parts[forAt + 1];
  const iterable = parts[forAt + 3];
  if (forAt < 1 || !head || !variable || !iterable) return null;
  const text = (n: SyntaxNode) => textOf(scope.module.syntax, n);
  if (text(head) !== text(variable)) return null;
  const values = evaluate(scope, iterable, depth + 1);
  const filtered = parts.slice(forAt + 4).some((part) => part.name === 'if' || part.name === 'for');
  return values && { values: values.values, exact: values.exact && !filtered };
}

function lookupName(scope: Scope, name: string, depth: number): KnownStrings | null {
  const local = scope.fn?.locals.get(name);
  if (local) return evaluate(scope, local, depth + 1);
  const global = scope.module.assignments.get(name);
  if (global) return evaluate({ ...scope, fn: undefined, cls: undefined }, global, depth + 1);
  const imported = scope.resolveImport(scope.module, name);
  if (!imported) return null;
  return lookupName(
    { module: imported.module, resolveImport: scope.resolveImport },
    imported.name,
    depth + 1,
  );
}

function lookupAttribute(scope: Scope, owner: string, name: string, depth: number): KnownStrings | null {
  const cls =
    owner === 'self' || owner === 'cls' ? scope.cls : scope.module.classes.find((c) => c.name === owner);
  if (!cls) return null;
  const classScope: Scope = { module: scope.module, cls, resolveImport: scope.resolveImport };
  const attribute = cls.attributes.get(name);
  if (attribute) return evaluate(classScope, attribute, depth + 1);
  for (const method of cls.methods.values()) {
    const assigned = method.selfAssignments.get(name);
    if (assigned) return evaluate({ ...classScope, fn: method }, assigned, depth + 1);
  }
  return null;
}

function call(scope: Scope, node: SyntaxNode, depth: number): KnownStrings | null {
  const [callee, args] = childrenOf(node);
  if (!callee || !args) return null;
  const argList = inner(args);
  const name = textOf(scope.module.syntax, callee);
  if (WRAPPERS.has(name) && argList.some((arg) => arg.name === 'for'))
    return comprehension(scope, args, depth);
  if (WRAPPERS.has(name))
    return argList.length === 1 ? evaluate(scope, argList[0] as SyntaxNode, depth + 1) : null;
  const fn =
    callee.name === 'VariableName' && argList.length === 0 ? scope.module.functions.get(name) : undefined;
  if (fn)
    return union(
      returnedValues(fn.node).map((value) =>
        evaluate({ module: scope.module, fn, resolveImport: scope.resolveImport }, value, depth + 1),
      ),
    );
  if (callee.name === 'MemberExpression' && argList.length === 0) {
    const [object, , property] = childrenOf(callee);
    if (object && property && VIEWS.has(textOf(scope.module.syntax, property))) {
      return evaluate(scope, object, depth + 1);
    }
  }
  return null;
}

/** The returned expressions of a function (nested functions, classes and lambdas excluded). */
export function returnedValues(fn: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (node: SyntaxNode) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (['FunctionDefinition', 'ClassDefinition', 'LambdaExpression'].includes(child.name)) continue;
      if (child.name !== 'ReturnStatement') visit(child);
      else if (child.lastChild && child.lastChild.name !== 'return') out.push(child.lastChild);
    }
  };
  const body = fn.getChild('Body');
  if (body) visit(body);
  return out;
}

/** The strings an expression statically holds (list/tuple/set items, dict keys), or null when unknown. */
export function evaluate(scope: Scope, node: SyntaxNode, depth = 0): KnownStrings | null {
  if (depth > MAX_DEPTH) return null;
  const syntax = scope.module.syntax;
  switch (node.name) {
    case 'ArrayExpression':
    case 'TupleExpression':
    case 'SetExpression':
      return elements(scope, inner(node), depth);
    case 'DictionaryExpression':
      return dictKeys(scope, node, depth);
    case 'ParenthesizedExpression': {
      const [only] = inner(node);
      return only ? evaluate(scope, only, depth + 1) : null;
    }
    case 'ArrayComprehensionExpression':
    case 'SetComprehensionExpression':
    case 'DictionaryComprehensionExpression':
      return comprehension(scope, node, depth);
    case 'VariableName':
      return lookupName(scope, textOf(syntax, node), depth);
    case 'MemberExpression': {
      const [object, dot, property] = childrenOf(node);
      if (!object || dot?.name !== '.' || !property || object.name !== 'VariableName') return null;
      return lookupAttribute(scope, textOf(syntax, object), textOf(syntax, property), depth);
    }
    case 'CallExpression':
      return call(scope, node, depth);
    case 'BinaryExpression': {
      const [left, op, right] = childrenOf(node);
      const operator = op ? textOf(syntax, op) : '';
      if (!left || !right || (operator !== '+' && operator !== '|')) return null;
      return union([evaluate(scope, left, depth + 1), evaluate(scope, right, depth + 1)]);
    }
    default:
      return null;
  }
}
