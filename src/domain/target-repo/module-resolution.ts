import { FRAMEWORK_PACKAGE } from './layout.js';

/**
 * The repository file a Python import refers to, when it is one of the connector's own modules:
 * `from .x import y` and `from databricks.labs.community_connector.sources.{s}.x import y` from a
 * module of `sources/{s}/` both give `sources/{s}/x.py` (or `x/__init__.py` when that exists).
 * Null for anything outside the connector's folder.
 */
export function connectorModulePath(params: {
  module: string;
  level: number;
  fromPath: string;
  sourceDir: string;
  files: ReadonlyMap<string, string>;
}): string | null {
  const { module, level, fromPath, sourceDir, files } = params;
  let folder: string;
  let rest: string[];
  if (level > 0) {
    const parts = fromPath.split('/').slice(0, -1);
    folder = `${parts.slice(0, parts.length - (level - 1)).join('/')}/`;
    rest = module === '' ? [] : module.split('.');
  } else {
    const source = sourceDir.split('/').filter(Boolean).pop() ?? '';
    const prefix = `${FRAMEWORK_PACKAGE}.sources.${source}`;
    if (module !== prefix && !module.startsWith(`${prefix}.`)) return null;
    folder = sourceDir;
    rest = module === prefix ? [] : module.slice(prefix.length + 1).split('.');
  }
  if (!folder.startsWith(sourceDir)) return null;
  const base = `${folder}${rest.join('/')}`;
  const candidates = rest.length === 0 ? [`${folder}__init__.py`] : [`${base}.py`, `${base}/__init__.py`];
  return candidates.find((path) => files.has(path)) ?? null;
}
