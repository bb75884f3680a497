import { FRAMEWORK_PACKAGE } from '../layout.js';
import { PYTHON_STDLIB_MODULES } from '../python-stdlib.js';
import type { ConnectorModel } from '../read-connector.js';
import { readPyproject } from '../read-pyproject.js';
import { type ConnectorProblem, problem, shown } from './problem.js';

/** Third-party modules every connector may import: the runtime's Spark and the repository's HTTP client. */
const ALWAYS_ALLOWED = new Set(['requests', 'pyspark']);

/** Distributions whose import name differs from their project name. */
const IMPORT_NAME_OF: Readonly<Record<string, string[]>> = {
  pyjwt: ['jwt'],
  'google-auth': ['google'],
  'google-api-python-client': ['googleapiclient', 'google'],
  'azure-identity': ['azure'],
  'azure-core': ['azure'],
  'python-dateutil': ['dateutil'],
  pyyaml: ['yaml'],
  beautifulsoup4: ['bs4'],
  protobuf: ['google'],
  'scikit-learn': ['sklearn'],
  pillow: ['PIL'],
  'opensearch-py': ['opensearchpy'],
  'typing-extensions': ['typing_extensions'],
};

/** The top-level import names a PEP 508 requirement provides (`PyJWT[crypto]>=2` → `jwt`). */
export function importNamesOf(requirement: string): string[] {
  const name = (/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement)?.[1] ?? '')
    .toLowerCase()
    .replace(/[._]/g, '-');
  if (name === '') return [];
  return IMPORT_NAME_OF[name] ?? [name.replace(/-/g, '_')];
}

/**
 * Connector modules import only the standard library, `requests`, `pyspark`, the framework package
 * (its own folder included), and what the connector's `pyproject.toml` declares.
 */
export function importProblems(model: ConnectorModel): ConnectorProblem[] {
  const declared = new Set<string>(ALWAYS_ALLOWED);
  const pyproject = model.files.get(model.paths.pyproject);
  const read = pyproject === undefined ? null : readPyproject(pyproject);
  if (read?.ok) {
    const deps = [...read.dependencies, ...Object.values(read.optionalDependencies).flat()];
    for (const dep of deps) for (const name of importNamesOf(dep)) declared.add(name);
  }
  const problems: ConnectorProblem[] = [];
  for (const path of model.modulePaths) {
    const seen = new Set<string>();
    for (const statement of model.module(path)?.imports ?? []) {
      if (statement.level > 0) continue;
      const top = statement.module.split('.')[0] ?? '';
      if (
        top === 'databricks'
          ? isFramework(statement.module)
          : PYTHON_STDLIB_MODULES.has(top) || declared.has(top)
      )
        continue;
      if (seen.has(statement.module)) continue;
      seen.add(statement.module);
      problems.push(
        problem(
          'imports',
          path,
          `${shown(path)} imports \`${statement.module}\`, which is neither the standard library, \`requests\`, \`pyspark\`, \`${FRAMEWORK_PACKAGE}\` nor a dependency declared in ${shown(model.paths.pyproject)}.`,
        ),
      );
    }
  }
  return problems;
}

function isFramework(module: string): boolean {
  return module === FRAMEWORK_PACKAGE || module.startsWith(`${FRAMEWORK_PACKAGE}.`);
}
