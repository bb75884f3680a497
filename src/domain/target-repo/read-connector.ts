import { type ConnectorPaths, connectorPaths } from './connector-paths.js';
import { CONNECT_CLASS_ATTRIBUTE, DEFAULT_LAYOUT, LAKEFLOW_CONNECT, type TargetLayout } from './layout.js';
import { connectorModulePath } from './module-resolution.js';
import { hasBase, type PythonClass, type PythonModule, readPythonModule } from './python/python-module.js';
import { evaluate, returnedValues, type Scope } from './python/static-strings.js';
import { textOf } from './python/syntax.js';

/**
 * The tables `list_tables()` returns, as far as the code shows: every one (`static`), or some and
 * the rest computed at run time (`runtime`, e.g. discovered from the API).
 */
export type TableList = { kind: 'static'; tables: string[] } | { kind: 'runtime'; known: string[] };

/** A class of one of the connector's modules. */
export interface LocatedClass {
  path: string;
  module: PythonModule;
  cls: PythonClass;
}

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
  const located = locateConnector(module, resolveImport, modulePaths, paths, pathOf);
  const connector = 'problem' in located ? null : located;
  return {
    source,
    paths,
    files,
    modulePaths,
    module,
    connector,
    connectorProblem: 'problem' in located ? located.problem : null,
    tables: connector ? tableList(connector, resolveImport, module, pathOf) : null,
    resolveImport,
  };
}

/** True when `cls` subclasses `LakeflowConnect`, directly or through classes of the connector's modules. */
function isConnectorClass(
  found: LocatedClass,
  lookup: (module: PythonModule, name: string) => LocatedClass | null,
  depth = 0,
): boolean {
  if (hasBase(found.cls, LAKEFLOW_CONNECT.name)) return true;
  if (depth > 5) return false;
  return found.cls.bases.some((base) => {
    const parent = lookup(found.module, base);
    return parent !== null && isConnectorClass(parent, lookup, depth + 1);
  });
}

function locateConnector(
  module: (path: string) => PythonModule | undefined,
  resolveImport: Scope['resolveImport'],
  modulePaths: string[],
  paths: ConnectorPaths,
  pathOf: Map<PythonModule, string>,
): LocatedClass | { problem: string } {
  const lookup = (from: PythonModule, name: string): LocatedClass | null => {
    const local = from.classes.find((cls) => cls.name === name);
    if (local) return { path: pathOf.get(from) ?? '', module: from, cls: local };
    const imported = resolveImport(from, name);
    return imported ? lookup(imported.module, imported.name) : null;
  };
  const init = module(paths.init);
  for (const cls of init?.classes ?? []) {
    const bound = cls.attributes.get(CONNECT_CLASS_ATTRIBUTE);
    const found = init && bound ? lookup(init, textOf(init.syntax, bound)) : null;
    if (found && isConnectorClass(found, lookup)) return found;
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
      if (isConnectorClass(found, lookup)) candidates.push(found);
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
  resolveImport: Scope['resolveImport'],
  module: (path: string) => PythonModule | undefined,
  pathOf: Map<PythonModule, string>,
): TableList | null {
  const owner = methodOwner(connector, 'list_tables', resolveImport, pathOf, module);
  const method = owner?.cls.methods.get('list_tables');
  if (!owner || !method) return null;
  const scope: Scope = { module: owner.module, cls: owner.cls, fn: method, resolveImport };
  const returns = returnedValues(method.node);
  if (returns.length === 0) return { kind: 'runtime', known: [] };
  const values = returns.map((node) => evaluate(scope, node));
  const known = [...new Set(values.flatMap((value) => value?.values ?? []))];
  const mutated = returns.some(
    (node) =>
      /^\w+$/.test(textOf(owner.module.syntax, node)) &&
      mutatedIn(textOf(owner.module.syntax, method.node), textOf(owner.module.syntax, node)),
  );
  const exact = values.every((value) => value?.exact) && !mutated;
  return exact ? { kind: 'static', tables: known } : { kind: 'runtime', known };
}

/** True when a function body grows a local list after assigning it (`x.append(…)`, `x += …`). */
function mutatedIn(body: string, name: string): boolean {
  return new RegExp(`\\b${name}\\s*(\\.(append|extend|add|update|insert)\\(|\\+=|\\|=)`).test(body);
}

function methodOwner(
  start: LocatedClass,
  name: string,
  resolveImport: Scope['resolveImport'],
  pathOf: Map<PythonModule, string>,
  module: (path: string) => PythonModule | undefined,
  depth = 0,
): LocatedClass | null {
  if (start.cls.methods.has(name)) return start;
  if (depth > 5) return null;
  for (const base of start.cls.bases) {
    const local = start.module.classes.find((cls) => cls.name === base);
    const imported = local ? null : resolveImport(start.module, base);
    const parentModule = local ? start.module : imported?.module;
    const parent = parentModule?.classes.find((cls) => cls.name === (local ? base : imported?.name));
    if (parentModule && parent) {
      const found = methodOwner(
        { path: pathOf.get(parentModule) ?? '', module: parentModule, cls: parent },
        name,
        resolveImport,
        pathOf,
        module,
        depth + 1,
      );
      if (found) return found;
    }
  }
  return null;
}
