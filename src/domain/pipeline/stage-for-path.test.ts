import { describe, expect, it } from 'vitest';
import { stageForPath } from './stage-for-path.js';

const SRC = 'src/databricks/labs/community_connector/sources/acme_crm';

describe('stageForPath', () => {
  it.each([
    [`${SRC}/acme_crm_api_doc.md`, 'research'],
    ['tests/unit/sources/acme_crm/auth_test.py', 'auth'],
    [`${SRC}/acme_crm.py`, 'implement'],
    [`${SRC}/acme_crm_schemas.py`, 'implement'],
    ['src/databricks/labs/community_connector/source_simulator/specs/acme_crm/endpoints.yaml', 'implement'],
    ['tests/unit/sources/acme_crm/test_acme_crm_lakeflow_connect.py', 'test'],
    [`${SRC}/README.md`, 'docs_spec'],
    [`${SRC}/connector_spec.yaml`, 'docs_spec'],
    [`${SRC}/pyproject.toml`, 'package'],
    [`${SRC}/_generated_acme_crm_python_source.py`, 'package'],
    ['README.md', null],
    ['src/databricks/labs/community_connector/sources/other/other.py', null],
  ])('gives %s to %s', (path, stage) => {
    expect(stageForPath('acme_crm', path)).toBe(stage);
  });

  it.each([
    ['connectors/sources/acme_crm/acme_crm_api_doc.md', 'research'],
    ['connectors/tests/acme_crm/auth_test.py', 'auth'],
    ['connectors/sources/acme_crm/acme_crm.py', 'implement'],
    ['connectors/sim/acme_crm/endpoints.yaml', 'implement'],
    ['connectors/tests/acme_crm/test_acme_crm_lakeflow_connect.py', 'test'],
    ['connectors/sources/acme_crm/README.md', 'docs_spec'],
    ['connectors/sources/acme_crm/pyproject.toml', 'package'],
    [`${SRC}/acme_crm.py`, null],
    ['tests/unit/sources/acme_crm/auth_test.py', null],
  ])('follows a moved layout: gives %s to %s', (path, stage) => {
    const layout = {
      sources: 'connectors/sources',
      tests: 'connectors/tests',
      simulatorSpecs: 'connectors/sim',
    };
    expect(stageForPath('acme_crm', path, layout)).toBe(stage);
  });
});
