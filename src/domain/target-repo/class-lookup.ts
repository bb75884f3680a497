import { LAKEFLOW_CONNECT } from './layout.js';
import { hasBase, type PythonClass, type PythonModule } from './python/python-module.js';
import type { Scope } from './python/static-strings.js';

/** A class of one of the connector's modules. */
export interface LocatedClass {
  path: string;
  module: PythonModule;
  cls: PythonClass;
}

/** Finds classes across the connector's modules, following imports and base classes. */
export interface ClassLookup {
  /** The class a name refers to in `from` (defined there or imported from a connector module), or null. */
  find: (from: PythonModule, name: string) => LocatedClass | null;
  /** The class itself or the nearest base (within the connector's modules) that defines method `name`. */
  methodOwner: (start: LocatedClass, name: string) => LocatedClass | null;
  /** True when the class subclasses `LakeflowConnect`, directly or through the connector's own classes. */
  isConnectorClass: (found: LocatedClass) => boolean;
}

const MAX_DEPTH = 6;

/** A lookup over modules whose paths `pathOf` knows, resolving imports with `resolveImport`. */
export function classLookup(
  pathOf: ReadonlyMap<PythonModule, string>,
  resolveImport: Scope['resolveImport'],
): ClassLookup {
  const find = (from: PythonModule, name: string, depth = 0): LocatedClass | null => {
    const local = from.classes.find((cls) => cls.name === name);
    if (local) return { path: pathOf.get(from) ?? '', module: from, cls: local };
    const imported = depth < MAX_DEPTH ? resolveImport(from, name) : null;
    return imported ? find(imported.module, imported.name, depth + 1) : null;
  };
  const parents = (found: LocatedClass): LocatedClass[] =>
    found.cls.bases.map((base) => find(found.module, base)).filter((p): p is LocatedClass => p !== null);
  const methodOwner = (start: LocatedClass, name: string, depth = 0): LocatedClass | null => {
    if (start.cls.methods.has(name)) return start;
    if (depth >= MAX_DEPTH) return null;
    for (const parent of parents(start)) {
      const owner = methodOwner(parent, name, depth + 1);
      if (owner) return owner;
    }
    return null;
  };
  const isConnectorClass = (found: LocatedClass, depth = 0): boolean =>
    hasBase(found.cls, LAKEFLOW_CONNECT.name) ||
    (depth < MAX_DEPTH && parents(found).some((parent) => isConnectorClass(parent, depth + 1)));
  return {
    find: (from, name) => find(from, name),
    methodOwner: (s, n) => methodOwner(s, n),
    isConnectorClass: (f) => isConnectorClass(f),
  };
}
