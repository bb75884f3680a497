import { connectorPaths } from '../target-repo/connector-paths.js';
import {
  balanced,
  hasBase,
  methodBody,
  type PythonClass,
  pythonClasses,
  returnedNames,
} from './python-source.js';
import { shown } from './types.js';

/** The four ingestion types the framework accepts (reference §2.2). */
export const INGESTION_TYPES = ['snapshot', 'cdc', 'cdc_with_deletes', 'append'];

/** What `{s}.py` shows statically: its connector class and the tables `list_tables()` returns. */
export type ConnectorCode =
  | { ok: true; className: string; tables: string[]; source: string }
  | { ok: false; problem: string };

/** The `LakeflowConnect` subclasses of a module. */
export function connectorClasses(source: string): PythonClass[] {
  return pythonClasses(source).filter((cls) => hasBase(cls, 'LakeflowConnect'));
}

/** Reads the connector class of `{s}.py` and the tables its `list_tables()` returns. */
export function readConnectorCode(files: ReadonlyMap<string, string>, source: string): ConnectorCode {
  const path = connectorPaths(source).implementation;
  const file = shown(path);
  const text = files.get(path);
  if (text === undefined) return { ok: false, problem: `${file} is missing.` };
  const classes = connectorClasses(text);
  const [cls] = classes;
  if (!cls) return { ok: false, problem: `${file} defines no class that subclasses \`LakeflowConnect\`.` };
  if (classes.length > 1) {
    const names = classes.map((c) => `\`${c.name}\``).join(', ');
    return {
      ok: false,
      problem: `${file} defines ${classes.length} \`LakeflowConnect\` subclasses (${names}); the merge script needs exactly one.`,
    };
  }
  const body = methodBody(cls.body, 'list_tables');
  if (body === null)
    return { ok: false, problem: `${file}: \`${cls.name}\` does not define \`list_tables()\`.` };
  const tables = returnedNames(body, text);
  if (tables === null || tables.length === 0) {
    return {
      ok: false,
      problem: `${file}: \`${cls.name}.list_tables()\` does not return a literal list of table names or a module-level list or dict of them.`,
    };
  }
  return { ok: true, className: cls.name, tables, source: text };
}

/**
 * Ingestion type per table from literals: a `"table": {... "ingestion_type": "x" ...}` entry, or,
 * when the module uses a single `ingestion_type` value, that value for every table.
 */
export function ingestionTypes(source: string, tables: readonly string[]): Record<string, string> {
  const types: Record<string, string> = {};
  const literal = /["']ingestion_type["']\s*:\s*["'](\w+)["']/;
  for (const table of tables) {
    const entry = new RegExp(`["']${table}["']\\s*:\\s*(?=\\{)`).exec(source);
    const block = entry ? balanced(source, entry.index + entry[0].length) : null;
    const found = block ? literal.exec(block)?.[1] : undefined;
    if (found) types[table] = found;
  }
  const all = [...new Set([...source.matchAll(new RegExp(literal, 'g'))].map((m) => m[1] ?? ''))];
  const [only] = all;
  if (all.length === 1 && only) for (const table of tables) types[table] ??= only;
  return types;
}

/** Every `ingestion_type` literal in the module that is not one of the four valid values. */
export function invalidIngestionTypes(source: string): string[] {
  const values = [...source.matchAll(/["']ingestion_type["']\s*:\s*["'](\w+)["']/g)].map((m) => m[1] ?? '');
  return [...new Set(values.filter((value) => !INGESTION_TYPES.includes(value)))];
}

/** The connector's own Python modules (everything in the source dir but the merged file). */
export function connectorModules(files: ReadonlyMap<string, string>, source: string): string[] {
  const { sourceDir, mergedSource } = connectorPaths(source);
  return [...files.keys()].filter(
    (path) =>
      path.startsWith(sourceDir) &&
      path.endsWith('.py') &&
      !path.slice(sourceDir.length).includes('/') &&
      path !== mergedSource,
  );
}
