import { dataSourceProblems, definesMethod } from '../target-repo/checks/implementation.js';
import { importProblems } from '../target-repo/checks/imports.js';
import { optionReads } from '../target-repo/checks/spec.js';
import {
  ABSTRACT_METHODS,
  DEFAULT_LAYOUT,
  OTHER_TEST_HARNESSES,
  type TargetLayout,
  TEST_HARNESS,
} from '../target-repo/layout.js';
import { mentions } from '../target-repo/markdown.js';
import { hasBase, type PythonClass, readPythonModule } from '../target-repo/python/python-module.js';
import { stringValue } from '../target-repo/python/syntax.js';
import { type ConnectorModel, readConnector } from '../target-repo/read-connector.js';
import { readPyproject } from '../target-repo/read-pyproject.js';
import { readSpec } from '../target-repo/read-spec.js';
import { unique } from '../unique.js';
import { cite, fail, firstLine, pass } from './evidence.js';
import type { CheckResult } from './schema.js';
import { securityChecks } from './security-checks.js';

/**
 * The rubric checks the bot decides itself from the connector's files at the reviewed head. A check
 * is returned only when the files settle it: a definite fail, or a pass of the whole check; what
 * needs judgement (compiles, OAuth rules, …) is left to the reviewer agent. These results override
 * the agent's answers for the same ids.
 */
export function checkConnectorFiles(params: {
  source: string;
  files: ReadonlyMap<string, string>;
  /** The run's layout (the upstream layout when absent). */
  layout?: TargetLayout;
}): CheckResult[] {
  const { source, files, layout } = params;
  const model = readConnector({ source, files, layout: layout ?? DEFAULT_LAYOUT });
  const results = [
    ...implementationChecks(model),
    ...testChecks(model),
    ...artifactChecks(model),
    ...securityChecks(files, model.modulePaths),
  ];
  return results.filter((check): check is CheckResult => check !== null);
}

function classLine(text: string, cls: PythonClass): number | null {
  return firstLine(text, new RegExp(`^class\\s+${cls.name}\\b`));
}

function implementationChecks(model: ConnectorModel): (CheckResult | null)[] {
  const { source, files, paths, connector } = model;
  const path = paths.implementation;
  if (!files.has(path)) {
    return [
      fail('A1', `\`${source}.py\` is missing.`, path),
      fail('A2', `\`${source}.py\` is missing.`, path),
    ];
  }
  const results: (CheckResult | null)[] = [];
  if (connector === null) {
    const finding = `${model.connectorProblem ?? 'no connector class'}.`;
    results.push(fail('A1', finding, path), fail('A2', finding, path));
  } else {
    const text = files.get(connector.path) ?? '';
    const at = cite(connector.path, classLine(text, connector.cls));
    results.push(pass('A1', `\`${connector.cls.name}\` extends \`LakeflowConnect\`.`, at));
    const missing = ABSTRACT_METHODS.filter((name) => !definesMethod(model, name));
    results.push(
      missing.length === 0
        ? pass('A2', 'All four abstract methods are defined.', at)
        : fail(
            'A2',
            `\`${connector.cls.name}\` lacks ${missing.map((name) => `\`${name}\``).join(', ')}.`,
            at,
          ),
    );
    const deletes = firstLine(text, /["']cdc_with_deletes["']/);
    if (deletes !== null) {
      results.push(
        definesMethod(model, 'read_table_deletes')
          ? pass('A3', '`read_table_deletes` is defined for the `cdc_with_deletes` tables.', at)
          : fail(
              'A3',
              'A table is `cdc_with_deletes` but `read_table_deletes` is missing.',
              cite(connector.path, deletes),
            ),
      );
    }
  }
  results.push(importCheck(model));
  const [init] = dataSourceProblems(model);
  results.push(
    init === undefined
      ? pass('A13', '`__init__.py` defines the DataSource with `_lakeflow_connect_cls`.', paths.init)
      : fail('A13', init.message, paths.init),
  );
  return results;
}

function importCheck(model: ConnectorModel): CheckResult | null {
  if (model.modulePaths.length === 0) return null;
  const [found] = importProblems(model);
  if (found === undefined) {
    return pass(
      'A10',
      'Imports only the standard library, `requests`, `pyspark`, the framework and declared dependencies.',
    );
  }
  const name = /imports `([^`]+)`/.exec(found.message)?.[1] ?? '';
  const text = model.files.get(found.file) ?? '';
  const line = firstLine(text, new RegExp(`^\\s*(?:import|from)\\s+${name.replace(/\./g, '\\.')}\\b`));
  return fail('A10', `Imports \`${name}\`, outside the allowed modules.`, cite(found.file, line));
}

function testChecks(model: ConnectorModel): (CheckResult | null)[] {
  const { files, paths, source } = model;
  const path = paths.testFile;
  const text = files.get(path);
  const results: (CheckResult | null)[] = [];
  if (text === undefined) {
    const missing = 'The test file is missing.';
    results.push(...['B1', 'B2', 'B3', 'B4', 'C9'].map((id) => fail(id, missing, path)));
  } else {
    results.push(pass('B1', 'The test file exists.', path));
    const harnesses = [TEST_HARNESS, ...OTHER_TEST_HARNESSES].map((h) => h.name);
    const module = readPythonModule(text);
    const cls = module.classes.find((candidate) => harnesses.some((name) => hasBase(candidate, name)));
    if (cls === undefined) {
      const none = 'No class subclasses `LakeflowConnectTests`.';
      results.push(...['B2', 'B3', 'B4', 'C9'].map((id) => fail(id, none, path)));
    } else {
      const at = cite(path, classLine(text, cls));
      results.push(pass('C9', `\`${cls.name}\` is the test class.`, at));
      results.push(
        isPartitioned(model) ? null : pass('B2', `\`${cls.name}\` subclasses \`LakeflowConnectTests\`.`, at),
      );
      results.push(attributeCheck('B3', cls, text, path, 'connector_class', null));
      const simulator = cls.attributes.get('simulator_source');
      const value = simulator ? stringValue(module.syntax, simulator) : null;
      results.push(attributeCheck('B4', cls, text, path, 'simulator_source', source, value));
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

function isPartitioned(model: ConnectorModel): boolean {
  return model.connector?.cls.bases.some((base) => /Partition/.test(base)) ?? false;
}

function attributeCheck(
  id: string,
  cls: PythonClass,
  text: string,
  path: string,
  attribute: string,
  expected: string | null,
  value: string | null = null,
): CheckResult {
  if (!cls.attributes.has(attribute))
    return fail(id, `\`${cls.name}\` does not set \`${attribute}\`.`, cite(path, classLine(text, cls)));
  const line = cite(path, firstLine(text, new RegExp(`^[ \\t]+${attribute}\\s*(?::[^=\\n]+)?=`)));
  if (expected === null) return pass(id, `\`${attribute}\` is set.`, line);
  return value === expected
    ? pass(id, `\`${attribute} = "${expected}"\`.`, line)
    : fail(
        id,
        `\`${attribute}\` is \`${value === null ? 'not a string' : `"${value}"`}\`, not \`"${expected}"\`.`,
        line,
      );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function artifactChecks(model: ConnectorModel): (CheckResult | null)[] {
  const { files, source, paths } = model;
  const tables = model.tables?.kind === 'static' ? model.tables.tables : null;
  const results: (CheckResult | null)[] = [];
  if (!files.has(paths.implementation))
    results.push(fail('C1', `\`${source}.py\` is missing.`, paths.implementation));
  results.push(mentionCheck('C2', files.get(paths.apiDoc), paths.apiDoc, 'The API doc', tables, []));
  const spec = specCheck(model);
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

function specCheck(model: ConnectorModel): { check: CheckResult | null; params: string[] | null } {
  const { files } = model;
  const path = model.paths.spec;
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
  const tableKeys = unique(optionReads(model).table);
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
  const read = readPyproject(text);
  const deps = read.ok ? read.dependencies : null;
  if (deps === null || !/^\s*dependencies\s*=/m.test(text)) {
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
