import { PYLINT_FLAGS, TEST_EXCLUDE_FILE } from './ci-gates.js';
import { INJECTED_OPTIONS, OAUTH_INJECTED_OPTIONS } from './injected-options.js';
import {
  CONNECT_CLASS_ATTRIBUTE,
  CONNECTOR_MIXINS,
  FRAMEWORK_PACKAGE,
  INGESTION_TYPES,
  LAKEFLOW_CONNECT,
  LAKEFLOW_SOURCE,
  MERGE_SCRIPT,
  OTHER_TEST_HARNESSES,
  TEST_HARNESS,
} from './layout.js';

const code = (items: readonly string[]) => items.map((item) => `\`${item}\``).join(', ');

/**
 * What every agent is told about the connector repository, as markdown lines: the same facts the
 * checks and gates use, so a prompt can never describe another repository than the one judged.
 */
export function repositoryFacts(): string[] {
  const mixins = CONNECTOR_MIXINS.map((m) => m.name);
  return [
    '## Repository facts (what the bot checks)',
    `- \`from ${LAKEFLOW_CONNECT.module} import ${LAKEFLOW_CONNECT.name}\` (also ${code(mixins)} from there); \`from ${LAKEFLOW_SOURCE.module} import ${LAKEFLOW_SOURCE.name}\` in \`__init__.py\`, whose DataSource class sets \`${CONNECT_CLASS_ATTRIBUTE}\`.`,
    `- Tests subclass \`${TEST_HARNESS.name}\` from \`${TEST_HARNESS.module}\` (adding ${code(OTHER_TEST_HARNESSES.map((h) => h.name))} for partitioned or write-back connectors) and set \`connector_class\` and \`replay_config\` (or \`_replay_config()\`).`,
    `- Ingestion types: ${code(INGESTION_TYPES)}. \`list_tables()\` may return a constant of a sibling module or a list computed at run time.`,
    `- Imports: the standard library, \`requests\`, \`pyspark\`, \`${FRAMEWORK_PACKAGE}\`, and what the connector's \`pyproject.toml\` declares.`,
    `- Options the platform passes without the spec declaring them: ${code(INJECTED_OPTIONS)}; with an OAuth block also ${code(OAUTH_INJECTED_OPTIONS)}.`,
    `- CI runs pylint with ${code(PYLINT_FLAGS)} and skips test files listed in \`${TEST_EXCLUDE_FILE}\`; \`${MERGE_SCRIPT} <source>\` writes the merged source file.`,
  ];
}
