import { describe, expect, it } from 'vitest';
import type { Stage } from '../pipeline/phase.js';
import { STAGES } from '../pipeline/phase.js';
import { connectorPaths } from '../target-repo/connector-paths.js';
import { goodFiles, goodInput, P } from './fixture.test-support.js';
import { verifyStage } from './index.js';
import type { VerifyInput } from './types.js';

const SRC = 'sources/acme_crm';

/** The good input with `path` replaced by `text` (or removed when `text` is null). */
function edited(path: string, text: string | null): VerifyInput {
  const files = goodFiles();
  if (text === null) files.delete(path);
  else files.set(path, text);
  return goodInput(files);
}

/** The good input with `from` replaced by `to` in file `path`. */
function replaced(path: string, from: string | RegExp, to: string): VerifyInput {
  const text = goodFiles().get(path) ?? '';
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture edit did not apply to ${path}`);
  return edited(path, next);
}

describe('verifyStage on the good acme_crm connector', () => {
  it.each(STAGES)('passes the %s stage', (stage) => {
    expect(verifyStage(stage, goodInput())).toMatchObject({ ok: true });
  });

  it('reads research facts from the api doc', () => {
    expect(verifyStage('research', goodInput())).toEqual({
      ok: true,
      facts: {
        tables: ['contacts', 'deals'],
        deferredTables: ['companies'],
        authMethod: 'API key',
        ingestionTypes: {},
        connectionParams: [],
        files: [P.apiDoc],
      },
    });
  });

  it('reads the connection parameters at auth', () => {
    const result = verifyStage('auth', goodInput());
    expect(result.ok && result.facts.connectionParams).toEqual(['api_key', 'subdomain']);
  });

  it('reads tables and ingestion types from the implementation', () => {
    const result = verifyStage('implement', goodInput());
    expect(result.ok && result.facts).toMatchObject({
      tables: ['contacts', 'deals'],
      ingestionTypes: { contacts: 'cdc', deals: 'snapshot' },
    });
    expect(result.ok && result.facts.files).toContain(`${P.simulatorCorpus}deals.json`);
  });

  it('keeps a table an earlier batch built when the code still returns it', () => {
    const input = { ...goodInput(), batchTables: ['deals'], completedTables: ['contacts'] };
    expect(verifyStage('implement', input)).toMatchObject({ ok: true });
  });
});

type Case = [name: string, stage: Stage, input: () => VerifyInput, problems: string[]];

const CATALOGUE: Case[] = [
  [
    'api doc missing',
    'research',
    () => edited(P.apiDoc, null),
    [`\`${SRC}/acme_crm_api_doc.md\` is missing.`],
  ],
  [
    'api doc at the wrong path',
    'research',
    () => {
      const files = goodFiles();
      files.set(`${P.sourceDir}api_doc.md`, files.get(P.apiDoc) ?? '');
      files.delete(P.apiDoc);
      return goodInput(files);
    },
    [`\`${SRC}/acme_crm_api_doc.md\` is missing.`],
  ],
  [
    'api doc proposing no tables',
    'research',
    () => ({ ...replaced(P.apiDoc, '## Object List', '## Endpoints'), batchTables: [] }),
    [
      `\`${SRC}/acme_crm_api_doc.md\` proposes no tables: list them under an "Object List" (or "Tables") heading, or describe a "Discovery model" for tables found at run time.`,
    ],
  ],
  [
    'api doc without an auth section',
    'research',
    () => replaced(P.apiDoc, '## Authorization', '## Overview'),
    [`\`${SRC}/acme_crm_api_doc.md\` has no "Authorization" (or "Authentication") section.`],
  ],
  [
    'api doc omitting a requested table',
    'research',
    () => replaced(P.apiDoc, '| `deals` | `GET /deals` |\n', ''),
    [`\`${SRC}/acme_crm_api_doc.md\` does not document the requested table(s) \`deals\`.`],
  ],
  [
    'spec YAML syntax error',
    'auth',
    () => replaced(P.spec, 'display_name: Acme CRM', 'display_name: [Acme CRM'),
    [
      expect.stringMatching(
        /^`sources\/acme_crm\/connector_spec\.yaml` is not valid YAML: /,
      ) as unknown as string,
    ],
  ],
  [
    'spec without connection parameters',
    'auth',
    () => edited(P.spec, 'display_name: Acme CRM\nconnection: {}\nexternal_options_allowlist: ""\n'),
    [
      `\`${SRC}/connector_spec.yaml\` declares no connection parameters under \`connection.parameters\` or \`connection.auth_methods\`.`,
    ],
  ],
  [
    'spec with a real-looking token',
    'auth',
    () =>
      replaced(
        P.spec,
        '      secret: true\n',
        '      secret: true\n      default: ghp_9aZ3kLmN0pQrStUvWxYz1234567890AbCd\n',
      ),
    [
      `\`${SRC}/connector_spec.yaml\` holds a value at \`connection.parameters[0].default\` that looks like a real credential; use a placeholder.`,
    ],
  ],
  [
    'auth test missing',
    'auth',
    () => edited(P.authTest, null),
    ['`tests/unit/sources/acme_crm/auth_test.py` is missing.'],
  ],
  [
    'third-party import',
    'implement',
    () => replaced(P.implementation, 'import requests\n', 'import requests\nimport pandas as pd\n'),
    [
      `\`${SRC}/acme_crm.py\` imports \`pandas\`, which is neither the standard library, \`requests\`, \`pyspark\`, \`databricks.labs.community_connector\` nor a dependency declared in \`${SRC}/pyproject.toml\`.`,
    ],
  ],
  [
    'second batch dropped a table',
    'implement',
    () => ({
      ...replaced(P.implementation, 'return list(SCHEMAS.keys())', 'return ["deals", "companies"]'),
      batchTables: ['companies'],
      completedTables: ['contacts', 'deals'],
    }),
    [
      `\`${SRC}/acme_crm.py\`: \`AcmeCrmLakeflowConnect.list_tables()\` no longer returns \`contacts\`, built in an earlier batch.`,
    ],
  ],
  [
    'batch table not implemented',
    'implement',
    () => ({ ...goodInput(), batchTables: ['contacts', 'deals', 'companies'] }),
    [
      `\`${SRC}/acme_crm.py\`: \`AcmeCrmLakeflowConnect.list_tables()\` does not return this batch's \`companies\`.`,
    ],
  ],
  [
    'no LakeflowConnect subclass',
    'implement',
    () => replaced(P.implementation, '(LakeflowConnect):', ':'),
    [
      `\`${SRC}/acme_crm.py\`: \`__init__.py\` binds \`AcmeCrmLakeflowConnect\`, which does not subclass \`LakeflowConnect\`.`,
    ],
  ],
  [
    'list_tables computed at runtime',
    'implement',
    () => ({
      ...replaced(P.implementation, 'return list(SCHEMAS.keys())', 'return self._discover()'),
      batchTables: ['contacts', 'deals', 'companies'],
    }),
    [
      `\`${SRC}/acme_crm.py\`: \`AcmeCrmLakeflowConnect.list_tables()\` is computed at run time, and neither the connector's code nor the simulator spec names \`companies\`.`,
    ],
  ],
  [
    'a table name the bot cannot track',
    'implement',
    () => ({
      ...replaced(
        P.implementation,
        'return list(SCHEMAS.keys())',
        'return ["contacts", "deals", "sales-leads"]',
      ),
      batchTables: ['contacts'],
    }),
    [
      `\`${SRC}/acme_crm.py\`: \`AcmeCrmLakeflowConnect.list_tables()\` returns \`sales-leads\`; a table name starts with a letter and holds only letters, digits and \`_\` (at most 128).`,
    ],
  ],
  [
    'invalid ingestion type',
    'implement',
    () => replaced(P.implementation, '"ingestion_type": "snapshot"', '"ingestion_type": "append_only"'),
    [
      `\`${SRC}/acme_crm.py\` uses ingestion type \`append_only\`; valid ones are \`snapshot\`, \`cdc\`, \`cdc_with_deletes\`, \`append\`.`,
    ],
  ],
  [
    '__init__ without a DataSource',
    'implement',
    () => edited(P.init, 'from .acme_crm import AcmeCrmLakeflowConnect\n'),
    [
      `\`${SRC}/__init__.py\` defines no \`...DataSource(LakeflowSource)\` class (import it from \`databricks.labs.community_connector.sparkpds\`), so Spark cannot register the connector.`,
    ],
  ],
  [
    'corpus file not JSON',
    'implement',
    () => edited(`${P.simulatorCorpus}deals.json`, '[{"id": 7,}]'),
    ['`source_simulator/specs/acme_crm/corpus/deals.json` is not valid JSON.'],
  ],
  [
    'endpoint serving a missing corpus',
    'implement',
    () => edited(`${P.simulatorCorpus}deals.json`, null),
    [
      '`source_simulator/specs/acme_crm/endpoints.yaml` serves corpus `deals`, but `corpus/deals.json` is missing.',
    ],
  ],
  [
    'endpoints.yaml syntax error',
    'implement',
    () => edited(P.simulatorEndpoints, 'endpoints:\n  - path: [/api\n'),
    [
      expect.stringMatching(
        /^`source_simulator\/specs\/acme_crm\/endpoints\.yaml` is not valid YAML: /,
      ) as unknown as string,
    ],
  ],
  [
    'test file not subclassing the harness',
    'test',
    () => replaced(P.testFile, '(LakeflowConnectTests):', '(unittest.TestCase):'),
    [
      '`tests/unit/sources/acme_crm/test_acme_crm_lakeflow_connect.py` defines no class that subclasses `LakeflowConnectTests` (from `tests.unit.sources.test_suite`).',
    ],
  ],
  [
    'test class without replay_config',
    'test',
    () => replaced(P.testFile, /\s+replay_config = .*\n/, '\n'),
    [
      '`tests/unit/sources/acme_crm/test_acme_crm_lakeflow_connect.py`: `TestAcmeCrmConnector` sets neither `replay_config` nor `_replay_config()`.',
    ],
  ],
  [
    'test file at the wrong path',
    'test',
    () => {
      const files = goodFiles();
      files.set('tests/unit/sources/acme_crm/test_acme.py', files.get(P.testFile) ?? '');
      files.delete(P.testFile);
      return goodInput(files);
    },
    ['`tests/unit/sources/acme_crm/test_acme_crm_lakeflow_connect.py` is missing.'],
  ],
  [
    'README missing a table',
    'docs_spec',
    () => replaced(P.readme, '| deals | id | snapshot |\n', ''),
    [`\`${SRC}/README.md\` does not mention the implemented table(s) \`deals\`.`],
  ],
  [
    'spec tables differ from list_tables',
    'docs_spec',
    () => replaced(P.spec, '  - deals\n', '  - companies\n'),
    [
      `\`${SRC}/connector_spec.yaml\` lists table \`companies\`, but \`AcmeCrmLakeflowConnect.list_tables()\` does not return it.`,
      `\`AcmeCrmLakeflowConnect.list_tables()\` returns table \`deals\`, but \`${SRC}/connector_spec.yaml\` does not list it.`,
    ],
  ],
  [
    'code reads a param the spec lacks',
    'docs_spec',
    () =>
      replaced(
        P.implementation,
        'super().__init__(options)',
        'super().__init__(options)\n        self._tz = options.get("timezone", "UTC")',
      ),
    [
      `The connector reads option(s) \`timezone\`, but \`${SRC}/connector_spec.yaml\` declares no such connection parameter.`,
    ],
  ],
  [
    'allowlist lacking a table option',
    'docs_spec',
    () => replaced(P.spec, '"max_records_per_batch"', '""'),
    [
      `\`${SRC}/connector_spec.yaml\`: \`external_options_allowlist\` lacks the table option(s) \`max_records_per_batch\` the connector reads.`,
    ],
  ],
  [
    'pyproject without name',
    'package',
    () => replaced(P.pyproject, 'name = "lakeflow-community-connectors-acme_crm"\n', ''),
    [`\`${SRC}/pyproject.toml\` has no \`[project]\` \`name\`.`],
  ],
  [
    'pyproject naming another package',
    'package',
    () => replaced(P.pyproject, 'connectors-acme_crm"\nversion', 'connectors-acme"\nversion'),
    [
      `\`${SRC}/pyproject.toml\` names the project \`lakeflow-community-connectors-acme\`, not \`lakeflow-community-connectors-acme-crm\`.`,
    ],
  ],
  [
    'pyspark as a runtime dependency',
    'package',
    () =>
      replaced(
        P.pyproject,
        '    "requests>=2.28.0,<3.0",\n',
        '    "requests>=2.28.0,<3.0",\n    "pyspark>=3.5.0",\n',
      ),
    [
      `\`${SRC}/pyproject.toml\` lists \`pyspark\` in runtime \`dependencies\`; it belongs in the \`dev\` extra only.`,
    ],
  ],
  [
    'merged file missing',
    'package',
    () => edited(P.mergedSource, null),
    [
      `\`${SRC}/_generated_acme_crm_python_source.py\` is missing; run \`python tools/scripts/merge_python_source.py acme_crm\`.`,
    ],
  ],
];

describe('verifyStage on bad outputs', () => {
  it.each(CATALOGUE)('reports %s (%s)', (_name, stage, input, problems) => {
    expect(verifyStage(stage, input())).toEqual({ ok: false, problems });
  });
});

describe('verifyStage with a moved layout (repository config paths.*)', () => {
  const layout = {
    sources: 'connectors/sources',
    tests: 'connectors/tests',
    simulatorSpecs: 'connectors/sim',
  };
  const moved = connectorPaths('acme_crm', layout);

  /** The good connector's files, each moved from the upstream folders to `layout`'s. */
  function movedFiles(): Map<string, string> {
    const dirs: Array<[string, string]> = [
      [P.sourceDir, moved.sourceDir],
      [P.testsDir, moved.testsDir],
      [P.simulatorDir, moved.simulatorDir],
    ];
    return new Map(
      [...goodFiles()].map(([path, text]) => {
        const [from, to] = dirs.find(([dir]) => path.startsWith(dir)) ?? ['', ''];
        return [`${to}${path.slice(from.length)}`, text];
      }),
    );
  }

  it('puts every file of the fixture under the moved folders', () => {
    expect([...movedFiles().keys()].every((path) => path.startsWith('connectors/'))).toBe(true);
  });

  it.each(STAGES)('passes the %s stage on the connector under connectors/sources/acme_crm/', (stage) => {
    expect(verifyStage(stage, { ...goodInput(movedFiles()), layout })).toMatchObject({ ok: true });
  });

  it.each(STAGES)('finds the %s files missing when the upstream layout is assumed', (stage) => {
    expect(verifyStage(stage, goodInput(movedFiles()))).toMatchObject({ ok: false });
  });

  it('reports the missing file at its moved path when the connector is in the upstream folders', () => {
    const verdict = verifyStage('research', { ...goodInput(), layout });

    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? [] : verdict.problems.join('\n')).toContain(moved.apiDoc);
  });
});
