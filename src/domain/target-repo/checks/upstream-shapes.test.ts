/**
 * Each way a connector merged upstream is written that the checks once refused, as a small case of
 * our own shaped like the upstream file that showed it. Every case must pass the merged-connector
 * check and every stage check; the last block holds the genuine defects, which must be named.
 */
import { describe, expect, it } from 'vitest';
import { STAGES } from '../../pipeline/phase.js';
import { goodFiles, P } from '../../verify/fixture.test-support.js';
import { verifyStage } from '../../verify/index.js';
import { readConnector } from '../read-connector.js';
import { checkMergedConnector } from './merged-connector-check.js';

const SCHEMAS_MODULE = `${P.sourceDir}acme_crm_schemas.py`;

/** The good connector with some files replaced (null removes one). */
function variant(edits: Record<string, string | null>): Map<string, string> {
  const files = goodFiles();
  for (const [path, text] of Object.entries(edits)) {
    if (text === null) files.delete(path);
    else files.set(path, text);
  }
  return files;
}

/** `{s}.py` with `list_tables()` returning `expr`, after `prelude` at module level. */
function connectorReturning(expr: string, prelude = ''): string {
  const code = goodFiles().get(P.implementation) ?? '';
  const next = code
    .replace('return list(SCHEMAS.keys())', `return ${expr}`)
    .replace('\n\nclass AcmeCrmLakeflowConnect', `\n\n${prelude}\n\nclass AcmeCrmLakeflowConnect`);
  if (next === code) throw new Error('edit did not apply');
  return next;
}

/** `text` with `from` replaced by `to`, failing loudly when nothing changed. */
function edit(path: string, from: string | RegExp, to: string): string {
  const text = goodFiles().get(path) ?? '';
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit did not apply to ${path}`);
  return next;
}

function expectAccepted(files: Map<string, string>, batchTables = ['contacts', 'deals']): void {
  expect(checkMergedConnector({ source: 'acme_crm', files })).toEqual([]);
  for (const stage of STAGES) {
    const result = verifyStage(stage, { source: 'acme_crm', files, batchTables, completedTables: [] });
    expect({ stage, result }).toMatchObject({ stage, result: { ok: true } });
  }
}

describe('list_tables() as upstream writes it', () => {
  it.each([
    [
      'a constant of a sibling module, copied (github, gmail)',
      connectorReturning(
        'SUPPORTED_TABLES.copy()',
        'from databricks.labs.community_connector.sources.acme_crm.acme_crm_schemas import SUPPORTED_TABLES',
      ),
      'SUPPORTED_TABLES = ["contacts", "deals"]\n',
    ],
    [
      'a relative import under an alias, wrapped in list() (collibra)',
      connectorReturning('list(KNOWN)', 'from .acme_crm_schemas import SUPPORTED_TABLES as KNOWN'),
      'SUPPORTED_TABLES = ("contacts", "deals")\n',
    ],
    [
      'the keys of a dict a builder function returns (actitime, remberg)',
      connectorReturning(
        'list(TABLE_SCHEMAS.keys())',
        'def _build_schemas():\n    return {"contacts": 1, "deals": 2}\n\n\nTABLE_SCHEMAS = _build_schemas()',
      ),
      null,
    ],
    [
      'a comprehension over a class attribute (self.X)',
      connectorReturning('sorted(t for t in self.TABLES)').replace(
        '    def __init__',
        '    TABLES = ["contacts", "deals"]\n\n    def __init__',
      ),
      null,
    ],
  ])('resolves %s', (_name, connector, schemas) => {
    const files = variant({ [P.implementation]: connector, [SCHEMAS_MODULE]: schemas });
    const tables = readConnector({ source: 'acme_crm', files }).tables;
    expect(tables?.kind === 'static' && [...tables.tables].sort()).toEqual(['contacts', 'deals']);
    expectAccepted(files);
  });

  it('accepts a list discovered at run time when the simulator spec names the batch tables (example, odata)', () => {
    const files = variant({
      [P.implementation]: connectorReturning('[row["name"] for row in self._get_tables()]'),
    });
    expect(readConnector({ source: 'acme_crm', files }).tables).toEqual({ kind: 'runtime', known: [] });
    expectAccepted(files);
    const missing = verifyStage('implement', {
      source: 'acme_crm',
      files,
      batchTables: ['contacts', 'invoices'],
      completedTables: [],
    });
    expect(missing).toMatchObject({ ok: false, problems: [expect.stringContaining('computed at run time')] });
  });

  it('reads a local list that grows at run time as partly known (hubspot)', () => {
    const files = variant({
      [P.implementation]: connectorReturning('standard', '').replace(
        '        return standard',
        '        standard = ["contacts", "deals"]\n        standard.extend(self._custom())\n        return standard',
      ),
    });
    expect(readConnector({ source: 'acme_crm', files }).tables).toEqual({
      kind: 'runtime',
      known: ['contacts', 'deals'],
    });
    expectAccepted(files);
  });
});

describe('API docs as upstream writes them', () => {
  it('reads bold headings (the style of upstream’s doc template)', () => {
    const doc = edit(P.apiDoc, '## Authorization', '## **Authorization**').replace(
      '## Object List',
      '## **Object List**',
    );
    expectAccepted(variant({ [P.apiDoc]: doc }));
    const research = verifyStage('research', {
      source: 'acme_crm',
      files: variant({ [P.apiDoc]: doc }),
      batchTables: [],
      completedTables: [],
    });
    expect(research.ok && research.facts.tables).toEqual(['contacts', 'deals']);
  });

  it.each([
    [
      'PascalCase and camelCase names in a later column (adme, zoho_crm, actitime)',
      '| Description | API Name |\n|---|---|\n| A well | `Wellbore` |\n| Groups | `userGroups` |\n',
      ['Wellbore', 'userGroups'],
    ],
    [
      'a prose list (fhir)',
      'The default resources are:\nPatient, Observation, Encounter\n',
      ['Patient', 'Observation', 'Encounter'],
    ],
    [
      'one subsection per table, each with a field table (shopify)',
      '### `contacts` object\n\n| Field | Type |\n|---|---|\n| id | integer |\n| email | string |\n\n### deals\n\n| Field | Type |\n|---|---|\n| amount | number |\n',
      ['contacts', 'deals'],
    ],
    [
      'a table under a titled subsection (zoho_crm)',
      '### Supported Tables (2 total)\n\n| Module Name | Description |\n|---|---|\n| Leads | Prospects |\n| Accounts | Companies |\n',
      ['Leads', 'Accounts'],
    ],
  ])('finds the tables of %s', (_name, body, tables) => {
    const doc = `# Acme\n\n## Authorization\n\nMethod: API key\n\n## Object List\n\n${body}\n## Object Schema\n\nFields.\n`;
    const files = variant({ [P.apiDoc]: doc });
    const research = verifyStage('research', {
      source: 'acme_crm',
      files,
      batchTables: [],
      completedTables: [],
    });
    expect(research.ok && research.facts.tables).toEqual(tables);
  });

  it('accepts a discovery model instead of an object list (odata) and HTTP Basic written as "(Basic)"', () => {
    const doc =
      '# Acme OData\n\n## Authentication\n\nUser and password (Basic).\n\n## Discovery model\n\nEntity sets come from `$metadata` at run time.\n';
    const files = variant({ [P.apiDoc]: doc });
    const research = verifyStage('research', {
      source: 'acme_crm',
      files,
      batchTables: [],
      completedTables: [],
    });
    expect(research).toMatchObject({ ok: true, facts: { tables: [], authMethod: 'basic auth' } });
  });

  it('needs no Deferred Tables section', () => {
    expectAccepted(variant({ [P.apiDoc]: edit(P.apiDoc, /## Deferred Tables[\s\S]*$/, '') }));
  });
});

describe('READMEs, specs, imports and tests as upstream writes them', () => {
  it('accepts README headings other than the template’s ("Set up", "Objects Supported")', () => {
    const readme = edit(P.readme, '## Setup', '## Set up')
      .replace('## Supported Objects', '## Objects Supported')
      .replace('## How to Run', '## Usage');
    expectAccepted(variant({ [P.readme]: readme }));
  });

  it('accepts a third-party import the connector’s pyproject declares, extras and markers included (fhir)', () => {
    const connector = edit(P.implementation, 'import requests\n', 'import jwt\nimport requests\n');
    const pyproject = edit(
      P.pyproject,
      '"requests>=2.28.0,<3.0",',
      '"requests>=2.28.0,<3.0",\n    "PyJWT[cryptography]>=2.8.0,<3.0",',
    );
    expectAccepted(variant({ [P.implementation]: connector, [P.pyproject]: pyproject }));
  });

  it('accepts standard-library modules beyond the common ones (fnmatch, codecs, tomllib)', () => {
    const connector = edit(
      P.implementation,
      'import requests\n',
      'import codecs\nimport fnmatch\nimport tomllib\nimport requests\n',
    );
    expectAccepted(variant({ [P.implementation]: connector }));
  });

  it('accepts a public GUID scope, a URL with digits and an example id in the spec', () => {
    const spec = edit(
      P.spec,
      'external_options_allowlist',
      `  oauth:\n    flow: m2m\n    token_url: "https://login.example/{tenant_id}/oauth2/v2.0/token"\n    scopes: "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default"\n  example_id: "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8"\nexternal_options_allowlist`,
    );
    expect(checkMergedConnector({ source: 'acme_crm', files: variant({ [P.spec]: spec }) })).toEqual([]);
  });

  it('still refuses a real-looking token as a secret parameter’s default', () => {
    const spec = edit(
      P.spec,
      '      secret: true\n',
      '      secret: true\n      default: "q8Zr2Lm4Np6Tx0Vb3Kc5Hd7Jf9Gs1Aw"\n',
    );
    expect(checkMergedConnector({ source: 'acme_crm', files: variant({ [P.spec]: spec }) })).toEqual([
      expect.objectContaining({
        check: 'spec',
        message: expect.stringContaining('looks like a real credential'),
      }),
    ]);
  });

  it('accepts options the platform injects, helper reads, f-string messages and case differences', () => {
    const spec = edit(
      P.spec,
      'external_options_allowlist',
      '  oauth:\n    flow: u2m\n    token_url: "https://login.example/{tenant_id}/token"\nexternal_options_allowlist',
    );
    const connector = edit(
      P.implementation,
      'super().__init__(options)\n',
      [
        'super().__init__(options)',
        '        self._refresh = options.get("refresh_token")',
        '        self._endpoint = options.get("token_endpoint")',
        '        self._conn = options.get("databricks.connection")',
        '        self._tenant = options.get("tenant_id")',
        '        self._configs = options.get("tableConfigs")',
        '        self._key = _require(options, "API_KEY")',
        '        self._note = f"missing {options.get(\'undeclared_in_message\')}"',
        '',
      ].join('\n'),
    ).replace('\n\nclass AcmeCrm', '\n\ndef _require(opts, name):\n    return opts[name]\n\n\nclass AcmeCrm');
    expectAccepted(variant({ [P.spec]: spec, [P.implementation]: connector }));
  });

  it('still refuses an option read through a helper that the spec does not declare', () => {
    const connector = edit(
      P.implementation,
      'super().__init__(options)\n',
      'super().__init__(options)\n        self._region = _require(options, "region")\n',
    ).replace('\n\nclass AcmeCrm', '\n\ndef _require(opts, name):\n    return opts[name]\n\n\nclass AcmeCrm');
    expect(
      checkMergedConnector({ source: 'acme_crm', files: variant({ [P.implementation]: connector }) }),
    ).toEqual([expect.objectContaining({ check: 'options', message: expect.stringContaining('`region`') })]);
  });

  it('does not take a helper’s label argument for a key (github’s require_owner_repo(table_options, "issues"))', () => {
    const connector = edit(
      P.implementation,
      'limit = int(',
      'owner = _label(table_options, "issues")\n        limit = int(',
    ).replace(
      '\n\nclass AcmeCrm',
      '\n\ndef _label(opts, table):\n    return opts.get("owner", table)\n\n\nclass AcmeCrm',
    );
    expect(
      checkMergedConnector({ source: 'acme_crm', files: variant({ [P.implementation]: connector }) }),
    ).toEqual([expect.objectContaining({ check: 'options', message: expect.stringContaining('`owner`') })]);
  });

  it('accepts replay_config from a _replay_config() method (google_analytics_aggregated)', () => {
    const test = edit(
      P.testFile,
      / {4}replay_config = .*\n/,
      '\n    @classmethod\n    def _replay_config(cls):\n        return {"api_key": "fake", "subdomain": "fake"}\n',
    );
    expectAccepted(variant({ [P.testFile]: test }));
  });

  it('never asks for auth_test.py outside the auth stage (upstream commits none)', () => {
    expect(checkMergedConnector({ source: 'acme_crm', files: variant({ [P.authTest]: null }) })).toEqual([]);
  });
});

describe('genuine defects found upstream are named', () => {
  it.each([
    [
      'a missing DataSource class (youtube)',
      { [P.init]: 'from .acme_crm import AcmeCrmLakeflowConnect\n' },
      'data_source',
    ],
    [
      'a corpus file named in endpoints.yaml but absent (actitime, github)',
      { [`${P.simulatorCorpus}deals.json`]: null },
      'simulator',
    ],
    [
      'an undeclared option (osipi)',
      {
        [P.implementation]: edit(
          P.implementation,
          'super().__init__(options)\n',
          'super().__init__(options)\n        self._port = options.get("port")\n',
        ),
      },
      'options',
    ],
    [
      'a table the README never names',
      { [P.readme]: edit(P.readme, '| deals | id | snapshot |\n', '') },
      'readme',
    ],
    ['a tests folder that is not a package (youtube)', { [P.testsInit]: null }, 'test_class'],
  ])('%s', (_name, edits, check) => {
    const problems = checkMergedConnector({ source: 'acme_crm', files: variant(edits) });
    expect(problems.map((p) => p.check)).toEqual([check]);
  });
});
