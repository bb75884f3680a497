import { connectorPaths } from '../target-repo/connector-paths.js';
import { unique } from '../unique.js';
import { connectorClasses, connectorModules, readConnectorCode } from '../verify/connector-code.js';
import { initProblems } from '../verify/implement.js';
import { disallowedImports } from '../verify/imports.js';
import { mentions } from '../target-repo/markdown.js';
import {
  hasBase,
  keysReadFrom,
  methodBody,
  type PythonClass,
  pythonClasses,
} from '../verify/python-source.js';
import { readSpec } from '../target-repo/read-spec.js';
import { readToml } from '../verify/toml.js';
import { cite, fail, firstLine, pass } from './evidence.js';
import type { CheckResult } from './schema.js';
import { securityChecks } from './security-checks.js';

const ABSTRACT_METHODS = ['list_tables', 'get_table_schema', 'read_table_metadata', 'read_table'];

/**
 * The rubric checks the bot decides itself from the connector's files at the reviewed head. A check
 * is returned only when the files settle it: a definite fail, or a pass of the whole check; what
 * needs judgement (compiles, OAuth rules, …) is left to the reviewer agent. These results override
 * the agent's answers for the same ids.
 */
export function checkConnectorFiles(params: {
  source: string;
  files: ReadonlyMap<string, string>;
}): CheckResult[] {
  const { source, files } = params;
  const results = [
    ...implementationChecks(files, source),
    ...testChecks(files, source),
    ...artifactChecks(files, source),
    ...securityChecks(files, source),
  ];
  return results.filter((check): check is CheckResult => check !== null);
}

function classLine(text: string, cls: PythonClass): number | null {
  return firstLine(text, new RegExp(`^class\\s+${cls.name}\\b`));
}

function implementationChecks(files: ReadonlyMap<string, string>, source: string): (CheckResult | null)[] {
  const paths = connectorPaths(source);
  const path = paths.implementation;
  const text = files.get(path);
  if (text === undefined) {
    return [
      fail('A1', `\`${source}.py\` is missing.`, path),
      fail('A2', `\`${source}.py\` is missing.`, path),
    ];
  }
  const classes = connectorClasses(text);
  const [cls] = classes;
  const results: (CheckResult | null)[] = [];
  if (cls === undefined || classes.length > 1) {
    const finding =
      cls === undefined
        ? 'No class extends `LakeflowConnect`.'
        : `${classes.length} classes extend \`LakeflowConnect\`; the merge script needs exactly one.`;
    results.push(fail('A1', finding, path), fail('A2', finding, path));
  } else {
    const at = cite(path, classLine(text, cls));
    results.push(pass('A1', `\`${cls.name}\` extends \`LakeflowConnect\`.`, at));
    const missing = ABSTRACT_METHODS.filter((name) => methodBody(cls.body, name) === null);
    results.push(
      missing.length === 0
        ? pass('A2', 'All four abstract methods are defined.', at)
        : fail('A2', `\`${cls.name}\` lacks ${missing.map((name) => `\`${name}\``).join(', ')}.`, at),
    );
    const deletes = firstLine(text, /["']cdc_with_deletes["']/);
    if (deletes !== null) {
      results.push(
        methodBody(cls.body, 'read_table_deletes') === null
          ? fail(
              'A3',
              'A table is `cdc_with_deletes` but `read_table_deletes` is missing.',
              cite(path, deletes),
            )
          : pass('A3', '`read_table_deletes` is defined for the `cdc_with_deletes` tables.', at),
      );
    }
  }
  results.push(importCheck(files, source));
  const init = initProblems(files, source);
  results.push(
    init.length === 0
      ? pass('A13', '`__init__.py` defines the DataSource with `_lakeflow_connect_cls`.', paths.init)
      : fail('A13', init[0] ?? '', paths.init),
  );
  return results;
}

function importCheck(files: ReadonlyMap<string, string>, source: string): CheckResult | null {
  const modules = connectorModules(files, source);
  if (modules.length === 0) return null;
  for (const module of modules) {
    const text = files.get(module) ?? '';
    const [name] = disallowedImports(text);
    if (name !== undefined) {
      const line = firstLine(text, new RegExp(`^\\s*(?:import|from)\\s+${name.replace(/\./g, '\\.')}\\b`));
      return fail('A10', `Imports \`${name}\`, outside the allowed modules.`, cite(module, line));
    }
  }
  return pass('A10', 'Imports only the standard library, `requests`, `pyspark` and the framework.');
}

function testChecks(files: ReadonlyMap<string, string>, source: string): (CheckResult | null)[] {
  const paths = connectorPaths(source);
  const path = paths.testFile;
  const text = files.get(path);
  const results: (CheckResult | null)[] = [];
  if (text === undefined) {
    const missing = 'The test file is missing.';
    results.push(...['B1', 'B2', 'B3', 'B4', 'C9'].map((id) => fail(id, missing, path)));
  } else {
    results.push(pass('B1', 'The test file exists.', path));
    const cls = pythonClasses(text).find((candidate) => hasBase(candidate, 'LakeflowConnectTests'));
    if (cls === undefined) {
      const none = 'No class subclasses `LakeflowConnectTests`.';
      results.push(...['B2', 'B3', 'B4', 'C9'].map((id) => fail(id, none, path)));
    } else {
      const at = cite(path, classLine(text, cls));
      results.push(pass('C9', `\`${cls.name}\` is the test class.`, at));
      results.push(
        isPartitioned(files, source)
          ? null
          : pass('B2', `\`${cls.name}\` subclasses \`LakeflowConnectTests\`.`, at),
      );
      results.push(attributeCheck('B3', cls, text, path, 'connector_class', null));
      results.push(attributeCheck('B4', cls, text, path, 'simulator_source', source));
    }
  }
  results.push(
    files.has(paths.simulatorEndpoints)
      ? pass('B6', '`endpoints.yaml` exists.', paths.simulatorEndpoints)
      : fail('B6', '`endpoints.yaml` is missing.', paths.simulatorEndpoints),
  );
  const corpus = [...files.keys()].filter(
    (file) => file.startsWith(paths.simulatorCorpus) && file.endsWith('.json'),
  );
  results.push(
    corpus.length > 0
      ? pass('B7', `${corpus.length} corpus file(s).`, paths.simulatorCorpus)
      : fail('B7', 'The simulator has no corpus JSON.', paths.simulatorCorpus),
  );
  const invalid = corpus.find((file) => !isJson(files.get(file) ?? ''));
  if (corpus.length > 0) {
    results.push(
      invalid === undefined
        ? pass('C8', 'Every corpus file is valid JSON.', paths.simulatorCorpus)
        : fail('C8', 'A corpus file is not valid JSON.', invalid),
    );
  }
  return results;
}

function isPartitioned(files: ReadonlyMap<string, string>, source: string): boolean {
  const text = files.get(connectorPaths(source).implementation) ?? '';
  return connectorClasses(text).some((cls) => cls.bases.some((base) => /Partition/.test(base)));
}

function attributeCheck(
  id: string,
  cls: PythonClass,
  text: string,
  path: string,
  attribute: string,
  expected: string | null,
): CheckResult {
  const assignment = new RegExp(`^[ \\t]+${attribute}\\s*(?::[^=\\n]+)?=\\s*(.*)$`, 'm').exec(cls.body);
  if (assignment === null)
    return fail(id, `\`${cls.name}\` does not set \`${attribute}\`.`, cite(path, classLine(text, cls)));
  const line = cite(path, firstLine(text, new RegExp(`^[ \\t]+${attribute}\\s*(?::[^=\\n]+)?=`)));
  if (expected === null) return pass(id, `\`${attribute}\` is set.`, line);
  const value = /^["']([^"']*)["']/.exec(assignment[1] ?? '')?.[1];
  return value === expected
    ? pass(id, `\`${attribute} = "${expected}"\`.`, line)
    : fail(id, `\`${attribute}\` is \`${assignment[1]?.trim() ?? ''}\`, not \`"${expected}"\`.`, line);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function artifactChecks(files: ReadonlyMap<string, string>, source: string): (CheckResult | null)[] {
  const paths = connectorPaths(source);
  const code = readConnectorCode(files, source);
  const tables = code.ok ? code.tables : null;
  const results: (CheckResult | null)[] = [];
  if (!files.has(paths.implementation))
    results.push(fail('C1', `\`${source}.py\` is missing.`, paths.implementation));
  results.push(mentionCheck('C2', files.get(paths.apiDoc), paths.apiDoc, 'The API doc', tables, []));
  const spec = specCheck(files, source);
  results.push(spec.check);
  results.push(mentionCheck('C4', files.get(paths.readme), paths.readme, 'The README', tables, spec.params));
  results.push(...pyprojectChecks(files.get(paths.pyproject), paths.pyproject));
  return results;
}

/** Fails when the file is missing or leaves out a name; passes only when every name could be checked. */
function mentionCheck(
  id: string,
  text: string | undefined,
  path: string,
  what: string,
  tables: string[] | null,
  params: string[] | null,
): CheckResult | null {
  if (text === undefined) return fail(id, `${what} is missing.`, path);
  const absent = [...(tables ?? []), ...(params ?? [])].filter((name) => !mentions(text, name));
  if (absent.length > 0) {
    return fail(id, `${what} does not mention ${absent.map((name) => `\`${name}\``).join(', ')}.`, path);
  }
  if (tables === null || params === null) return null;
  return pass(
    id,
    `${what} mentions every table${params.length > 0 ? ' and connection parameter' : ''}.`,
    path,
  );
}

function specCheck(
  files: ReadonlyMap<string, string>,
  source: string,
): { check: CheckResult | null; params: string[] | null } {
  const path = connectorPaths(source).spec;
  const text = files.get(path);
  if (text === undefined)
    return { check: fail('C3', '`connector_spec.yaml` is missing.', path), params: null };
  const read = readSpec(text);
  if (!read.ok)
    return { check: fail('C3', `\`connector_spec.yaml\` does not parse: ${read.error}`, path), params: null };
  const { params, allowlist } = read.spec;
  if (params.length === 0) {
    return { check: fail('C3', '`connector_spec.yaml` declares no connection parameters.', path), params };
  }
  const modules = connectorModules(files, source).map((module) => files.get(module) ?? '');
  const tableKeys = unique(modules.flatMap((module) => keysReadFrom(module, 'table_options')));
  if (tableKeys.length > 0 && allowlist === null) {
    return {
      check: fail(
        'C3',
        'The connector reads `table_options` but the spec has no `external_options_allowlist`.',
        path,
      ),
      params,
    };
  }
  return { check: null, params };
}

function pyprojectChecks(text: string | undefined, path: string): CheckResult[] {
  if (text === undefined) return [fail('C5', '`pyproject.toml` is missing.', path)];
  const deps = readToml(text)?.get('project')?.get('dependencies');
  if (!Array.isArray(deps)) {
    return [fail('C5', '`pyproject.toml` does not parse or has no `[project]` `dependencies` list.', path)];
  }
  const depsLine = cite(path, firstLine(text, /^\s*dependencies\s*=/));
  const pyspark = deps.find((dep) => /^pyspark\b/i.test(dep));
  return [
    deps.some((dep) => /^requests\b/i.test(dep))
      ? pass('C5', '`pyproject.toml` parses and depends on `requests`.', depsLine)
      : fail('C5', '`pyproject.toml` runtime dependencies lack `requests`.', depsLine),
    pyspark === undefined
      ? pass('C10', 'No `pyspark` in runtime dependencies.', depsLine)
      : fail('C10', `\`${pyspark}\` is a runtime dependency; it belongs in the \`dev\` extra.`, depsLine),
  ];
}
