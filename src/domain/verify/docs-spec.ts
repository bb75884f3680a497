import { connectorPaths } from '../target-repo/connector-paths.js';
import { buildStageFacts } from '../pipeline/events.js';
import { unique } from '../unique.js';
import { connectorModules, readConnectorCode } from './connector-code.js';
import { findSection, mentions } from '../target-repo/markdown.js';
import { keysReadFrom } from './python-source.js';
import { readSpec } from '../target-repo/read-spec.js';
import { codeList, present, result, shown, type VerifyInput, type VerifyResult } from './types.js';

/** README headings the template requires (reference §5.1), matched case-insensitively at any level. */
const README_SECTIONS = ['Prerequisites', 'Setup', 'Supported Objects', 'How to Run'];

/** Option keys the framework injects at runtime; code may read them without the spec declaring them. */
const RUNTIME_KEYS = [
  'tableName',
  'tableNameList',
  'tableConfigs',
  'isDeleteFlow',
  'sourceName',
  'externalOptionsAllowList',
];

/** OAuth keys UC handles: `access_token` is injected, the app identity is used by UC's flow, not by code. */
const OAUTH_INJECTED = ['access_token'];
const OAUTH_APP = ['client_id', 'client_secret'];

/** Docs ∥ spec is done when README and `connector_spec.yaml` agree with the code on tables and parameters. */
export function verifyDocsSpec(input: VerifyInput): VerifyResult {
  const paths = connectorPaths(input.source);
  const problems: string[] = [];
  const code = readConnectorCode(input.files, input.source);
  if (!code.ok) problems.push(code.problem);
  const tables = code.ok ? code.tables : [];
  const readme = input.files.get(paths.readme);
  if (readme === undefined) problems.push(`${shown(paths.readme)} is missing.`);
  else {
    for (const heading of README_SECTIONS) {
      if (!findSection(readme, new RegExp(`^(\\d+[.)]?\\s*)?${heading}\\b`, 'i'))) {
        problems.push(`${shown(paths.readme)} has no "${heading}" section.`);
      }
    }
    const unmentioned = tables.filter((table) => !mentions(readme, table));
    if (unmentioned.length > 0) {
      problems.push(
        `${shown(paths.readme)} does not mention the implemented table(s) ${codeList(unmentioned)}.`,
      );
    }
  }
  let params: string[] = [];
  const specFile = shown(paths.spec);
  const specText = input.files.get(paths.spec);
  if (specText === undefined) problems.push(`${specFile} is missing.`);
  else {
    const read = readSpec(specText);
    if (!read.ok) problems.push(`${specFile} is not valid YAML: ${read.error}`);
    else {
      const { spec } = read;
      params = spec.params;
      const who = code.ok ? `\`${code.className}.list_tables()\`` : 'the connector';
      for (const table of (spec.tables ?? []).filter((t) => code.ok && !tables.includes(t))) {
        problems.push(`${specFile} lists table \`${table}\`, but ${who} does not return it.`);
      }
      for (const table of tables.filter((t) => spec.tables !== null && !spec.tables.includes(t))) {
        problems.push(`${who} returns table \`${table}\`, but ${specFile} does not list it.`);
      }
      const modules = connectorModules(input.files, input.source).map((path) => input.files.get(path) ?? '');
      const readKeys = unique(modules.flatMap((text) => keysReadFrom(text, 'options')));
      const injected = spec.oauth ? OAUTH_INJECTED : [];
      for (const key of readKeys.filter(
        (k) => !params.includes(k) && ![...RUNTIME_KEYS, ...injected].includes(k),
      )) {
        problems.push(
          `The connector reads option \`${key}\`, but ${specFile} declares no such connection parameter.`,
        );
      }
      const unread = params.filter((p) => !readKeys.includes(p) && !(spec.oauth && OAUTH_APP.includes(p)));
      for (const key of unread) {
        problems.push(
          `${specFile} declares connection parameter \`${key}\`, but the connector never reads it.`,
        );
      }
      const tableKeys = unique(modules.flatMap((text) => keysReadFrom(text, 'table_options')));
      if (spec.allowlist === null)
        problems.push(`${specFile} has no \`external_options_allowlist\` (it may be "").`);
      else {
        const unlisted = tableKeys.filter((key) => !spec.allowlist?.includes(key));
        if (unlisted.length > 0) {
          problems.push(
            `${specFile}: \`external_options_allowlist\` lacks the table option(s) ${codeList(unlisted)} the connector reads.`,
          );
        }
      }
    }
  }
  return result(problems, () =>
    buildStageFacts({
      tables,
      connectionParams: params,
      files: present(input.files, [paths.readme, paths.spec]),
    }),
  );
}
