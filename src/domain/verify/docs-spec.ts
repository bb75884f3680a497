import { buildStageFacts } from '../pipeline/events.js';
import { readmeProblems } from '../target-repo/checks/docs.js';
import { connectorClassProblems } from '../target-repo/checks/implementation.js';
import { connectionProblems, optionProblems, specOf } from '../target-repo/checks/spec.js';
import { readConnector } from '../target-repo/read-connector.js';
import { present, result, shown, type VerifyInput, type VerifyResult } from './types.js';

/**
 * Docs ∥ spec is done when the README and `connector_spec.yaml` pass the merged-connector checks
 * (README names every table; the spec declares every option the code reads and allowlists its
 * table options) and a spec that lists tables lists those `list_tables()` returns.
 */
export function verifyDocsSpec(input: VerifyInput): VerifyResult {
  const model = readConnector(input);
  const problems = [
    ...connectorClassProblems(model),
    ...readmeProblems(model),
    ...connectionProblems(model),
    ...optionProblems(model),
  ].map((p) => p.message);
  const read = specOf(model);
  const specTables = 'check' in read ? null : read.spec.tables;
  const code = model.tables?.kind === 'static' ? model.tables.tables : null;
  if (specTables !== null && code !== null && model.connector) {
    const file = shown(model.paths.spec);
    const who = `\`${model.connector.cls.name}.list_tables()\``;
    for (const table of specTables.filter((t) => !code.includes(t))) {
      problems.push(`${file} lists table \`${table}\`, but ${who} does not return it.`);
    }
    for (const table of code.filter((t) => !specTables.includes(t))) {
      problems.push(`${who} returns table \`${table}\`, but ${file} does not list it.`);
    }
  }
  return result(problems, () =>
    buildStageFacts({
      tables: code ?? [],
      connectionParams: 'check' in read ? [] : read.spec.params,
      files: present(input.files, [model.paths.readme, model.paths.spec]),
    }),
  );
}
