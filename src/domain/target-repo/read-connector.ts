import { type ClassLookup, classLookup, type LocatedClass } from './class-lookup.js';
import { type ConnectorPaths, connectorPaths } from './connector-paths.js';

export type { LocatedClass } from './class-lookup.js';

import { CONNECT_CLASS_ATTRIBUTE, DEFAULT_LAYOUT, LAKEFLOW_CONNECT, type TargetLayout } from './layout.js';
import { connectorModulePath } from './module-resolution.js';
import { type PythonModule, readPythonModule } from './python/python-module.js';
import { evaluate, returnedValues, type Scope } from './python/static-strings.js';
import { textOf } from './python/syntax.js';

/**
 * The tables `list_tables()` returns, as far as the code shows: every one (`static`), or some and
 * the rest computed at run time (`runtime`, e.g. discovered from the API).
 */
export type TableList = { kind: 'static'; tables: string[] } | { kind: 'runtime'; known: string[] };

/** One connector as its files show it: its modules, its connector class and its tables. */
export interface ConnectorModel {
  source: string;
  paths: ConnectorPaths;
  files: ReadonlyMap<string, string>;
  /** The connector's own Python modules (its folder, sub-packages included, the merged file excluded). */
  modulePaths: string[];
  /** The parsed module at `path` (parsed once). */
  module: (path: string) => PythonModule | undefined;
  /** The connector class: the one `__init__.py` binds, else the one `LakeflowConnect` subclass; null with a reason. */
  connector: LocatedClass | null;
  connectorProblem: string | null;
  /** The tables `list_tables()` returns; null when there is no connector class or no `list_tables`. */
  tables: TableList | null;
  /** Resolves an imported local name of a connector module to the connector module and name it refers to. */
  resolveImport: Scope['resolveImport'];
  /** The connector class or the nearest of its bases in the connector's modules that defines method `name`, or null. */
  methodOwner: (name: string) => LocatedClass | null;
}

function connectorModulePaths(files: ReadonlyMap<string, string>, paths: ConnectorPaths): string[] {
  return [...files.keys()]
    .filter((path) => path.startsWith(paths.sourceDir) && path.endsWith('.py') && path !== paths.mergedSource)
    .sort();
}

/** Reads a connector's files (path → text) into the model every check shares. */
export function readConnector(params: {
  source: string;
  files: ReadonlyMap<string, string>;
  layout?: TargetLayout;
}): ConnectorModel {
  const { source, files } = params;
  const paths = connectorPaths(source, params.layout ?? DEFAULT_LAYOUT);
  const modulePaths = connectorModulePaths(files, paths);
  const parsed = new Map<string, PythonModule>();
  const pathOf = new Map<PythonModule, string>();
  const module = (path: string): PythonModule | undefined => {
    const text = files.get(path);
    if (text === undefined || !path.endsWith('.py')) return undefined;
    let read = parsed.get(path);
    if (!read) {
      read = readPythonModule(text);
      parsed.set(path, read);
      pathOf.set(read, path);
    }
    return read;
  };
  const resolveImport: Scope['resolveImport'] = (from, name) => {
    const fromPath = pathOf.get(from);
    if (!fromPath) return null;
    for (const statement of from.imports) {
      const entry = statement.names?.find((n) => n.alias === name);
      if (!entry) continue;
      const target = connectorModulePath({ ...statement, fromPath, sourceDir: paths.sourceDir, files });
      const read = target ? module(target) : undefined;
      if (read) return { module: read, name: entry.name };
    }
    return null;
  };
  const lookup = classLookup(pathOf, resolveImport);
  const located = locateConnector(module, lookup, modulePaths, paths);
  const connector = 'problem' in located ? null : located;
  return {
    source,
    paths,
    files,
    modulePaths,
    module,
    connector,
    connectorProblem: 'problem' in located ? located.problem : null,
    tables: connector ? tableList(connector, lookup, resolveImport) : null,
    resolveImport,
    methodOwner: (name) => (connector ? lookup.methodOwner(connector, name) : null),
  };
}

function locateConnector(
  module: (path: string) => PythonModule | undefined,
  lookup: ClassLookup,
  modulePaths: string[],
  paths: ConnectorPaths,
): LocatedClass | { problem: string } {
  const init = module(paths.init);
  for (const cls of init?.classes ?? []) {
    const bound = cls.attributes.get(CONNECT_CLASS_ATTRIBUTE);
    const found = init && bound ? lookup.find(init, textOf(init.syntax, bound)) : null;
    if (found && lookup.isConnectorClass(found)) return found;
    if (found) {
      return {
        problem: `\`__init__.py\` binds \`${found.cls.name}\`, which does not subclass \`${LAKEFLOW_CONNECT.name}\``,
      };
    }
  }
  const candidates: LocatedClass[] = [];
  for (const path of modulePaths) {
    const read = module(path);
    for (const cls of read?.classes ?? []) {
      const found = { path, module: read as PythonModule, cls };
      if (lookup.isConnectorClass(found)) candidates.push(found);
    }
  }
  const inMain = candidates.filter((c) => c.path === paths.implementation);
  const pool = inMain.length > 0 ? inMain : candidates;
  const leaves = pool.filter(
    (c) => !pool.some((other) => other !== c && other.cls.bases.includes(c.cls.name)),
  );
  if (leaves.length === 1 && leaves[0]) return leaves[0];
  if (leaves.length === 0) {
    return { problem: `no class of the connector subclasses \`${LAKEFLOW_CONNECT.name}\`` };
  }
  const names = leaves.map((c) => `\`${c.cls.name}\``).join(', ');
  return {
    problem: `${leaves.length} classes subclass \`${LAKEFLOW_CONNECT.name}\` (${names}) and \`__init__.py\` binds none of them with \`${CONNECT_CLASS_ATTRIBUTE}\``,
  };
}

function tableList(
  connector: LocatedClass,
  lookup: ClassLookup,
  resolveImport: Scope['resolveImport'],
): TableList | null {
  const owner = lookup.methodOwner(connector, 'list_tables');
  const method = owner?.cls.methods.get('list_tables');
  if (!owner || !method) return null;
  const scope: Scope = { module: owner.module, cls: owner.cls, fn: method, resolveImport };
  const returns = returnedValues(method.node);
  if (returns.length === 0) return { kind: 'runtime', known: [] };
  const values = returns.map((node) => evaluate(scope, node));
  const known = [...new Set(values.flatMap((value) => value?.values ?? []))];
  const body = textOf(owner.module.syntax, method.node);
  const mutated = returns.some((node) => {
    const name = textOf(owner.module.syntax, node);
    return /^\w+$/.test(name) && mutatedIn(body, name);
  });
  const exact = values.every((value) => value?.exact) && !mutated;
  return exact ? { kind: 'static', tables: known } : { kind: 'runtime', known };
}

/** True when a function body grows a local list after assigning it (`x.append(…)`, `x += …`). */
function mutatedIn(body: string, name: string): boolean {
  return new RegExp(`\\b${name}\\s*(\\.(append|extend|add|update|insert)\\(|\\+=|\\|=)`).test(body);
}
