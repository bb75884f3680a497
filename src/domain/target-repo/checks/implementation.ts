import { ABSTRACT_METHODS, CONNECT_CLASS_ATTRIBUTE, INGESTION_TYPES, LAKEFLOW_SOURCE } from '../layout.js';
import { hasBase } from '../python/python-module.js';
import { descendants, stringValue } from '../python/syntax.js';
import type { ConnectorModel } from '../read-connector.js';
import { type ConnectorProblem, problem, shown } from './problem.js';

const STRINGS = new Set(['String', 'ContinuedString']);

/** The connector class exists, parses, and defines the four abstract methods (inherited ones count). */
export function connectorClassProblems(model: ConnectorModel): ConnectorProblem[] {
  const path = model.paths.implementation;
  const text = model.files.get(path);
  if (text === undefined) return [problem('connector_class', path, `${shown(path)} is missing.`)];
  const problems: ConnectorProblem[] = [];
  for (const modulePath of model.modulePaths) {
    const line = model.module(modulePath)?.syntaxError;
    if (line !== null && line !== undefined) {
      problems.push(
        problem('connector_class', modulePath, `${shown(modulePath)} has a syntax error at line ${line}.`),
      );
    }
  }
  const { connector } = model;
  if (!connector) {
    return [...problems, problem('connector_class', path, `${shown(path)}: ${model.connectorProblem}.`)];
  }
  const missing = ABSTRACT_METHODS.filter((name) => !definesMethod(model, name));
  if (missing.length > 0) {
    const names = missing.map((name) => `\`${name}\``).join(', ');
    problems.push(
      problem(
        'abstract_methods',
        connector.path,
        `${shown(connector.path)}: \`${connector.cls.name}\` does not define ${names}.`,
      ),
    );
  }
  return problems;
}

/** True when the connector class or one of its bases in the connector's modules defines `name`. */
export function definesMethod(model: ConnectorModel, name: string): boolean {
  return model.methodOwner(name) !== null;
}

/** Every `"ingestion_type": "x"` literal in the connector's modules, with the module it is in. */
function ingestionTypeLiterals(model: ConnectorModel): { path: string; value: string }[] {
  const out: { path: string; value: string }[] = [];
  for (const path of model.modulePaths) {
    const module = model.module(path);
    if (!module) continue;
    for (const node of descendants(module.syntax.root, STRINGS)) {
      if (stringValue(module.syntax, node) !== 'ingestion_type') continue;
      const colon = node.nextSibling;
      const value = colon?.name === ':' ? colon.nextSibling : null;
      const literal = value ? stringValue(module.syntax, value) : null;
      if (literal !== null) out.push({ path, value: literal });
    }
  }
  return out;
}

/** Ingestion types are among the four valid ones; `cdc_with_deletes` needs `read_table_deletes`. */
export function ingestionProblems(model: ConnectorModel): ConnectorProblem[] {
  const literals = ingestionTypeLiterals(model);
  const problems: ConnectorProblem[] = [];
  const valid: readonly string[] = INGESTION_TYPES;
  for (const { path, value } of literals) {
    if (!valid.includes(value) && !problems.some((p) => p.message.includes(`\`${value}\``))) {
      problems.push(
        problem(
          'ingestion_types',
          path,
          `${shown(path)} uses ingestion type \`${value}\`; valid ones are ${INGESTION_TYPES.map((t) => `\`${t}\``).join(', ')}.`,
        ),
      );
    }
  }
  if (
    model.connector &&
    literals.some((l) => l.value === 'cdc_with_deletes') &&
    !definesMethod(model, 'read_table_deletes')
  ) {
    problems.push(
      problem(
        'ingestion_types',
        model.connector.path,
        `${shown(model.connector.path)}: a table is \`cdc_with_deletes\` but \`${model.connector.cls.name}\` does not define \`read_table_deletes\`.`,
      ),
    );
  }
  return problems;
}

/** The ingestion type each table declares, where a `"table": {... "ingestion_type": "x" ...}` literal shows it. */
export function ingestionTypesByTable(
  model: ConnectorModel,
  tables: readonly string[],
): Record<string, string> {
  const types: Record<string, string> = {};
  const literals = ingestionTypeLiterals(model);
  for (const path of model.modulePaths) {
    const module = model.module(path);
    if (!module) continue;
    for (const node of descendants(module.syntax.root, STRINGS)) {
      const key = stringValue(module.syntax, node);
      if (key === null || !tables.includes(key) || node.nextSibling?.name !== ':') continue;
      const value = node.nextSibling.nextSibling;
      if (value?.name !== 'DictionaryExpression') continue;
      const inner = descendants(value, STRINGS).find(
        (s) => stringValue(module.syntax, s) === 'ingestion_type',
      );
      const typed = inner?.nextSibling?.name === ':' ? inner.nextSibling.nextSibling : null;
      const literal = typed ? stringValue(module.syntax, typed) : null;
      if (literal !== null) types[key] ??= literal;
    }
  }
  const distinct = [...new Set(literals.map((l) => l.value))];
  if (distinct.length === 1 && distinct[0]) for (const table of tables) types[table] ??= distinct[0];
  return types;
}

/** `__init__.py` defines a `LakeflowSource` subclass that binds the connector class. */
export function dataSourceProblems(model: ConnectorModel): ConnectorProblem[] {
  const path = model.paths.init;
  const init = model.module(path);
  if (!init) return [problem('data_source', path, `${shown(path)} is missing.`)];
  const sources = init.classes.filter((cls) => hasBase(cls, LAKEFLOW_SOURCE.name));
  if (sources.length === 0) {
    return [
      problem(
        'data_source',
        path,
        `${shown(path)} defines no \`...DataSource(${LAKEFLOW_SOURCE.name})\` class (import it from \`${LAKEFLOW_SOURCE.module}\`), so Spark cannot register the connector.`,
      ),
    ];
  }
  if (!sources.some((cls) => cls.attributes.has(CONNECT_CLASS_ATTRIBUTE))) {
    return [
      problem(
        'data_source',
        path,
        `${shown(path)}: \`${sources[0]?.name}\` does not set \`${CONNECT_CLASS_ATTRIBUTE}\`.`,
      ),
    ];
  }
  return [];
}
