import { TableName } from '../intake/schema.js';
import { buildStageFacts } from '../pipeline/events.js';
import {
  connectorClassProblems,
  dataSourceProblems,
  ingestionProblems,
  ingestionTypesByTable,
} from '../target-repo/checks/implementation.js';
import { importProblems } from '../target-repo/checks/imports.js';
import { simulatorProblems } from '../target-repo/checks/simulator.js';
import { descendants, stringValue } from '../target-repo/python/syntax.js';
import { type ConnectorModel, readConnector } from '../target-repo/read-connector.js';
import { codeList, result, shown, type VerifyInput, type VerifyResult } from './types.js';

const STRINGS = new Set(['String', 'ContinuedString']);

/** Every string literal of the connector's modules and the simulator spec's text: where a runtime-computed table must still be named. */
function namedAnywhere(model: ConnectorModel, table: string): boolean {
  for (const path of model.modulePaths) {
    const module = model.module(path);
    if (
      module &&
      descendants(module.syntax.root, STRINGS).some((node) => stringValue(module.syntax, node) === table)
    ) {
      return true;
    }
  }
  const spec = model.files.get(model.paths.simulatorEndpoints) ?? '';
  return (
    model.files.has(`${model.paths.simulatorCorpus}${table}.json`) ||
    new RegExp(`(^|[^A-Za-z0-9_])${table}($|[^A-Za-z0-9_])`).test(spec)
  );
}

/** The run's tables `list_tables()` does not return: a static list must hold them; a runtime one must name them in code or the simulator spec. */
function tableProblems(model: ConnectorModel, input: VerifyInput): string[] {
  const { connector, tables } = model;
  if (!connector) return [];
  const file = shown(connector.path);
  const who = `\`${connector.cls.name}.list_tables()\``;
  if (tables === null) return [`${file}: \`${connector.cls.name}\` does not define \`list_tables()\`.`];
  const wanted = [...new Set([...input.completedTables, ...input.batchTables])];
  const returned = (table: string) =>
    tables.kind === 'static'
      ? tables.tables.includes(table)
      : tables.known.includes(table) || namedAnywhere(model, table);
  const missing = wanted.filter((table) => !returned(table));
  const dropped = missing.filter((table) => input.completedTables.includes(table));
  const absent = missing.filter((table) => !dropped.includes(table));
  const problems: string[] = [];
  const listed = tables.kind === 'static' ? tables.tables : tables.known;
  const untrackable = listed.filter((table) => !TableName.safeParse(table).success);
  if (untrackable.length > 0) {
    problems.push(
      `${file}: ${who} returns ${codeList(untrackable)}; a table name starts with a letter and holds only letters, digits and \`_\` (at most 128).`,
    );
  }
  if (dropped.length > 0)
    problems.push(`${file}: ${who} no longer returns ${codeList(dropped)}, built in an earlier batch.`);
  if (absent.length > 0) {
    problems.push(
      tables.kind === 'static'
        ? `${file}: ${who} does not return this batch's ${codeList(absent)}.`
        : `${file}: ${who} is computed at run time, and neither the connector's code nor the simulator spec names ${codeList(absent)}.`,
    );
  }
  return problems;
}

/**
 * Implement is done when the connector passes the merged-connector checks of its code and simulator
 * spec (class, methods, ingestion types, `__init__.py`, imports, spec and corpus) and returns every
 * table of this batch and the earlier ones.
 */
export function verifyImplement(input: VerifyInput): VerifyResult {
  const model = readConnector(input);
  const problems = [
    ...connectorClassProblems(model),
    ...tableProblems(model, input),
    ...ingestionProblems(model),
    ...importProblems(model),
    ...dataSourceProblems(model),
    ...simulatorProblems(model),
  ];
  return result(problems, () => {
    const tables =
      model.tables?.kind === 'static'
        ? model.tables.tables
        : [...new Set([...input.completedTables, ...input.batchTables])];
    const written = [...input.files.keys()].filter(
      (path) => model.modulePaths.includes(path) || path.startsWith(model.paths.simulatorDir),
    );
    return buildStageFacts({ tables, ingestionTypes: ingestionTypesByTable(model, tables), files: written });
  });
}
