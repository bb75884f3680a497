import {
  childrenOf,
  firstSyntaxError,
  lineOf,
  type PythonSyntax,
  parsePython,
  type SyntaxNode,
  textOf,
} from './syntax.js';

/** One `import` or `from … import` statement. */
export interface PythonImport {
  /** The dotted module as written, without leading dots (`a.b`; `` for `from . import x`). */
  module: string;
  /** Leading dots of a relative import (0 for absolute). */
  level: number;
  /** `from` imports: the imported names and their local aliases; null for plain `import a.b`. */
  names: { name: string; alias: string }[] | null;
  /** 1-based line. */
  line: number;
}

/** A function or method: its name, its syntax node and its local assignments. */
export interface PythonFunction {
  name: string;
  node: SyntaxNode;
  line: number;
  /** `name = value` assignments directly in its body (last one wins). */
  locals: Map<string, SyntaxNode>;
  /** `self.name = value` assignments anywhere in its body (last one wins). */
  selfAssignments: Map<string, SyntaxNode>;
}

/** A class: its name, base expressions, class-level assignments and methods. */
export interface PythonClass {
  name: string;
  /** Base expressions as written (`LakeflowConnect`, `interface.LakeflowConnect`). */
  bases: string[];
  line: number;
  node: SyntaxNode;
  attributes: Map<string, SyntaxNode>;
  methods: Map<string, PythonFunction>;
}

/** What the checks read from one Python module. */
export interface PythonModule {
  syntax: PythonSyntax;
  /** Every import, at any depth (inside `try`, `if`, functions). */
  imports: PythonImport[];
  /** Module-level `NAME = value` assignments (last one wins), including those inside top-level `try`/`if`. */
  assignments: Map<string, SyntaxNode>;
  /** Top-level classes (decorated ones too). */
  classes: PythonClass[];
  /** Top-level functions. */
  functions: Map<string, PythonFunction>;
  /** The 1-based line of the first syntax error, or null. */
  syntaxError: number | null;
}

const COMPOUND = new Set(['TryStatement', 'IfStatement', 'WithStatement']);

/** The statements of a block, looking through decorators and top-level `try`/`if`/`with` bodies. */
function statements(block: SyntaxNode): SyntaxNode[] {
  return childrenOf(block).flatMap((node) => {
    if (node.name === 'DecoratedStatement') return childrenOf(node).filter((c) => c.name !== 'Decorator');
    if (COMPOUND.has(node.name))
      return childrenOf(node)
        .filter((c) => c.name === 'Body')
        .flatMap(statements);
    return [node];
  });
}

/** `target = value` of an `AssignStatement` (single target), or null for tuple targets and augmented ones. */
function assignment(syntax: PythonSyntax, node: SyntaxNode): { target: string; value: SyntaxNode } | null {
  const parts = childrenOf(node);
  const op = parts.findIndex((part) => part.name === 'AssignOp');
  const target = parts[0];
  const value = parts[parts.length - 1];
  if (op !== 1 && !(op === 2 && parts[1]?.name === 'TypeDef')) return null;
  if (!target || !value || value === parts[op]) return null;
  if (textOf(syntax, parts[op] as SyntaxNode) !== '=') return null;
  return { target: textOf(syntax, target), value };
}

function readImport(syntax: PythonSyntax, node: SyntaxNode): PythonImport[] {
  const parts = childrenOf(node);
  const line = lineOf(syntax, node);
  if (parts[0]?.name === 'from') {
    const importAt = parts.findIndex((part) => part.name === 'import');
    const head = parts
      .slice(1, importAt)
      .map((part) => textOf(syntax, part))
      .join('');
    const level = /^\.*/.exec(head)?.[0].length ?? 0;
    const names: { name: string; alias: string }[] = [];
    const tail = parts
      .slice(importAt + 1)
      .filter((p) => p.name === 'VariableName' || p.name === 'as' || p.name === '*');
    for (let i = 0; i < tail.length; i++) {
      const name = textOf(syntax, tail[i] as SyntaxNode);
      const aliased = tail[i + 1]?.name === 'as' ? tail[i + 2] : undefined;
      names.push({ name, alias: aliased ? textOf(syntax, aliased) : name });
      if (aliased) i += 2;
    }
    return [{ module: head.slice(level), level, names, line }];
  }
  const modules: PythonImport[] = [];
  let dotted = '';
  let skipAlias = false;
  for (const part of parts.slice(1)) {
    if (part.name === 'as') skipAlias = true;
    else if (part.name === ',') {
      if (dotted) modules.push({ module: dotted, level: 0, names: null, line });
      dotted = '';
      skipAlias = false;
    } else if (!skipAlias) dotted += textOf(syntax, part);
  }
  if (dotted) modules.push({ module: dotted, level: 0, names: null, line });
  return modules;
}

function readFunction(syntax: PythonSyntax, node: SyntaxNode): PythonFunction {
  const name = textOf(syntax, node.getChild('VariableName') ?? node);
  const locals = new Map<string, SyntaxNode>();
  const selfAssignments = new Map<string, SyntaxNode>();
  const body = node.getChild('Body');
  if (body) {
    for (const statement of statements(body)) {
      const assigned = statement.name === 'AssignStatement' ? assignment(syntax, statement) : null;
      if (assigned && /^\w+$/.test(assigned.target)) locals.set(assigned.target, assigned.value);
    }
    for (const statement of allOf(body, 'AssignStatement')) {
      const assigned = assignment(syntax, statement);
      const attr = assigned ? /^self\.(\w+)$/.exec(assigned.target)?.[1] : undefined;
      if (assigned && attr) selfAssignments.set(attr, assigned.value);
    }
  }
  return { name, node, line: lineOf(syntax, node), locals, selfAssignments };
}

function allOf(node: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const cursor = node.cursor();
  const end = node.to;
  while (cursor.next() && cursor.from < end) if (cursor.name === name) out.push(cursor.node);
  return out;
}

function readClass(syntax: PythonSyntax, node: SyntaxNode): PythonClass {
  const name = textOf(syntax, node.getChild('VariableName') ?? node);
  const args = node.getChild('ArgList');
  const bases = args
    ? childrenOf(args)
        .filter((arg) => !['(', ')', ','].includes(arg.name))
        .map((arg) => textOf(syntax, arg).replace(/\s+/g, ''))
        .filter((base) => !base.includes('='))
    : [];
  const attributes = new Map<string, SyntaxNode>();
  const methods = new Map<string, PythonFunction>();
  const body = node.getChild('Body');
  for (const statement of body ? statements(body) : []) {
    if (statement.name === 'FunctionDefinition') {
      const fn = readFunction(syntax, statement);
      methods.set(fn.name, fn);
    } else if (statement.name === 'AssignStatement') {
      const assigned = assignment(syntax, statement);
      if (assigned && /^\w+$/.test(assigned.target)) attributes.set(assigned.target, assigned.value);
    }
  }
  return { name, bases, line: lineOf(syntax, node), node, attributes, methods };
}

/** Reads the imports, module-level names, classes and functions of a Python module. */
export function readPythonModule(text: string): PythonModule {
  const syntax = parsePython(text);
  const assignments = new Map<string, SyntaxNode>();
  const classes: PythonClass[] = [];
  const functions = new Map<string, PythonFunction>();
  for (const statement of statements(syntax.root)) {
    if (statement.name === 'ClassDefinition') classes.push(readClass(syntax, statement));
    else if (statement.name === 'FunctionDefinition') {
      const fn = readFunction(syntax, statement);
      functions.set(fn.name, fn);
    } else if (statement.name === 'AssignStatement') {
      const assigned = assignment(syntax, statement);
      if (assigned && /^\w+$/.test(assigned.target)) assignments.set(assigned.target, assigned.value);
    }
  }
  const imports = allOf(syntax.root, 'ImportStatement').flatMap((node) => readImport(syntax, node));
  return { syntax, imports, assignments, classes, functions, syntaxError: firstSyntaxError(syntax) };
}

/** True when a class names `base` among its bases (bare or dotted, generic arguments ignored). */
export function hasBase(cls: PythonClass, base: string): boolean {
  return cls.bases.some((expr) => {
    const bare = expr.replace(/\[.*$/, '');
    return bare === base || bare.endsWith(`.${base}`);
  });
}
