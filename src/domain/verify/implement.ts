import { parse } from 'yaml';
import { connectorPaths } from '../target-repo/connector-paths.js';
import { buildStageFacts } from '../pipeline/events.js';
import { unique } from '../unique.js';
import {
  connectorModules,
  ingestionTypes,
  invalidIngestionTypes,
  readConnectorCode,
} from './connector-code.js';
import { disallowedImports } from './imports.js';
import { codeList, result, shown, type VerifyInput, type VerifyResult } from './types.js';

/** Problems of the simulator spec: `endpoints.yaml` parses, lists endpoints, and every corpus file is JSON. */
function simulatorProblems(files: ReadonlyMap<string, string>, source: string): string[] {
  const { simulatorEndpoints, simulatorCorpus } = connectorPaths(source);
  const file = shown(simulatorEndpoints);
  const problems: string[] = [];
  const corpus = [...files.keys()].filter(
    (path) => path.startsWith(simulatorCorpus) && path.endsWith('.json'),
  );
  for (const path of corpus) {
    try {
      JSON.parse(files.get(path) ?? '');
    } catch {
      problems.push(`${shown(path)} is not valid JSON.`);
    }
  }
  const text = files.get(simulatorEndpoints);
  if (text === undefined) return [`${file} is missing.`, ...problems];
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return [`${file} is not valid YAML: ${message}`, ...problems];
  }
  const endpoints = (doc as { endpoints?: unknown } | null)?.endpoints;
  if (!Array.isArray(endpoints) || endpoints.length === 0) {
    return [`${file} has no \`endpoints:\` list.`, ...problems];
  }
  for (const endpoint of endpoints as { path?: unknown; corpus?: unknown }[]) {
    const name = endpoint?.corpus;
    if (typeof name === 'string' && !files.has(`${simulatorCorpus}${name}.json`)) {
      problems.push(`${file} serves corpus \`${name}\`, but \`corpus/${name}.json\` is missing.`);
    }
  }
  return problems;
}

/** Problems of `__init__.py`: it must define `{Source}DataSource(LakeflowSource)` bound to the connector. */
export function initProblems(files: ReadonlyMap<string, string>, source: string): string[] {
  const path = connectorPaths(source).init;
  const text = files.get(path);
  if (text === undefined) return [`${shown(path)} is missing.`];
  if (!/^class\s+\w+DataSource\s*\(\s*(\w+\.)*LakeflowSource\s*\)/m.test(text)) {
    return [
      `${shown(path)} does not define a \`...DataSource(LakeflowSource)\` class, so \`register()\` cannot find the connector.`,
    ];
  }
  if (!/_lakeflow_connect_cls\s*=/.test(text)) {
    return [`${shown(path)} does not set \`_lakeflow_connect_cls\` on its DataSource class.`];
  }
  return [];
}

/** Implement is done when `{s}.py` returns every batch and earlier table, imports only allowed modules, and the simulator spec is sound. */
export function verifyImplement(input: VerifyInput): VerifyResult {
  const paths = connectorPaths(input.source);
  const file = shown(paths.implementation);
  const problems: string[] = [];
  const code = readConnectorCode(input.files, input.source);
  if (!code.ok) problems.push(code.problem);
  else {
    const missing = unique([...input.completedTables, ...input.batchTables]).filter(
      (t) => !code.tables.includes(t),
    );
    const dropped = missing.filter((table) => input.completedTables.includes(table));
    const absent = missing.filter((table) => !dropped.includes(table));
    if (dropped.length > 0) {
      problems.push(
        `${file}: \`${code.className}.list_tables()\` no longer returns ${codeList(dropped)}, built in an earlier batch.`,
      );
    }
    if (absent.length > 0) {
      problems.push(
        `${file}: \`${code.className}.list_tables()\` does not return this batch's ${codeList(absent)}.`,
      );
    }
    for (const value of invalidIngestionTypes(code.source)) {
      problems.push(
        `${file} uses ingestion type \`${value}\`; valid ones are \`snapshot\`, \`cdc\`, \`cdc_with_deletes\` and \`append\`.`,
      );
    }
  }
  for (const module of connectorModules(input.files, input.source)) {
    for (const name of disallowedImports(input.files.get(module) ?? '')) {
      problems.push(
        `${shown(module)} imports \`${name}\`; only the standard library, \`requests\`, \`pyspark\` and \`databricks.labs.community_connector\` are allowed.`,
      );
    }
  }
  problems.push(...initProblems(input.files, input.source), ...simulatorProblems(input.files, input.source));
  return result(problems, () => {
    const tables = code.ok ? code.tables : [];
    const written = [...input.files.keys()].filter(
      (path) =>
        connectorModules(input.files, input.source).includes(path) || path.startsWith(paths.simulatorDir),
    );
    return buildStageFacts({
      tables,
      ingestionTypes: code.ok ? ingestionTypes(code.source, tables) : {},
      files: written,
    });
  });
}
