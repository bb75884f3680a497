import { describe, expect, it } from 'vitest';
import { connectorPaths, primaryFileOfStage, shortPath } from './connector-paths.js';

describe('connectorPaths', () => {
  it('lists every deliverable path of a connector as the reference lays them out', () => {
    const paths = connectorPaths('acme_crm');

    expect(paths).toEqual({
      sourceDir: 'src/databricks/labs/community_connector/sources/acme_crm/',
      apiDoc: 'src/databricks/labs/community_connector/sources/acme_crm/acme_crm_api_doc.md',
      implementation: 'src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py',
      init: 'src/databricks/labs/community_connector/sources/acme_crm/__init__.py',
      spec: 'src/databricks/labs/community_connector/sources/acme_crm/connector_spec.yaml',
      readme: 'src/databricks/labs/community_connector/sources/acme_crm/README.md',
      pyproject: 'src/databricks/labs/community_connector/sources/acme_crm/pyproject.toml',
      mergedSource:
        'src/databricks/labs/community_connector/sources/acme_crm/_generated_acme_crm_python_source.py',
      testsDir: 'tests/unit/sources/acme_crm/',
      testsInit: 'tests/unit/sources/acme_crm/__init__.py',
      testFile: 'tests/unit/sources/acme_crm/test_acme_crm_lakeflow_connect.py',
      authTest: 'tests/unit/sources/acme_crm/auth_test.py',
      simulatorDir: 'src/databricks/labs/community_connector/source_simulator/specs/acme_crm/',
      simulatorEndpoints:
        'src/databricks/labs/community_connector/source_simulator/specs/acme_crm/endpoints.yaml',
      simulatorCorpus: 'src/databricks/labs/community_connector/source_simulator/specs/acme_crm/corpus/',
    });
  });
});

describe('shortPath', () => {
  it.each([
    ['src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py', 'sources/acme_crm/acme_crm.py'],
    [
      'src/databricks/labs/community_connector/source_simulator/specs/acme_crm/endpoints.yaml',
      'source_simulator/specs/acme_crm/endpoints.yaml',
    ],
    ['tests/unit/sources/acme_crm/auth_test.py', 'tests/unit/sources/acme_crm/auth_test.py'],
    ['pyproject.toml', 'pyproject.toml'],
  ])('shortens %s to %s', (path, expected) => {
    expect(shortPath(path)).toBe(expected);
  });
});

describe('primaryFileOfStage', () => {
  it.each([
    ['research', 'src/databricks/labs/community_connector/sources/acme_crm/acme_crm_api_doc.md'],
    ['auth', 'tests/unit/sources/acme_crm/auth_test.py'],
    ['implement', 'src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py'],
    ['test', 'tests/unit/sources/acme_crm/test_acme_crm_lakeflow_connect.py'],
    ['docs_spec', 'src/databricks/labs/community_connector/sources/acme_crm/README.md'],
    ['package', 'src/databricks/labs/community_connector/sources/acme_crm/pyproject.toml'],
  ] as const)('names the main file of %s', (stage, path) => {
    expect(primaryFileOfStage('acme_crm', stage)).toBe(path);
  });
});
