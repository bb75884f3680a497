import { assertNever } from '../assert-never.js';
import type { Stage } from '../pipeline/phase.js';
import { DEFAULT_LAYOUT, PACKAGE_ROOT, type TargetLayout } from './layout.js';

/**
 * Every deliverable path of one connector in the target repository. Directories end in `/`.
 */
export interface ConnectorPaths {
  /** `src/databricks/labs/community_connector/sources/{s}/`. */
  sourceDir: string;
  /** `{s}_api_doc.md`: research output (tables, auth, Deferred Tables). */
  apiDoc: string;
  /** `{s}.py`: the one `LakeflowConnect` subclass. */
  implementation: string;
  /** `__init__.py`: re-exports the class and defines the `DataSource`. */
  init: string;
  /** `connector_spec.yaml`: connection parameters and the options allowlist. */
  spec: string;
  /** `README.md`: the public end-user doc. */
  readme: string;
  /** Per-connector `pyproject.toml` (its own wheel). */
  pyproject: string;
  /** `_generated_{s}_python_source.py`: the merged single-file source, CI-checked. */
  mergedSource: string;
  /** `tests/unit/sources/{s}/`. */
  testsDir: string;
  /** `tests/unit/sources/{s}/__init__.py`: required, the harness derives the source tag from it. */
  testsInit: string;
  /** `test_{s}_lakeflow_connect.py`: the `LakeflowConnectTests` subclass. */
  testFile: string;
  /** `auth_test.py`: the live credentials check (collected by pytest; skips without credentials). */
  authTest: string;
  /** `src/databricks/labs/community_connector/source_simulator/specs/{s}/`. */
  simulatorDir: string;
  /** The simulator's `endpoints.yaml`. */
  simulatorEndpoints: string;
  /** The simulator's `corpus/` directory (one JSON file per table). */
  simulatorCorpus: string;
}

/**
 * The deliverable paths of connector `source` (a validated `SourceName`, so no escaping is needed)
 * in a repository laid out as `layout` (the upstream layout unless a repository config moves it).
 */
export function connectorPaths(source: string, layout: TargetLayout = DEFAULT_LAYOUT): ConnectorPaths {
  const sourceDir = `${layout.sources}/${source}/`;
  const testsDir = `${layout.tests}/${source}/`;
  const simulatorDir = `${layout.simulatorSpecs}/${source}/`;
  return {
    sourceDir,
    apiDoc: `${sourceDir}${source}_api_doc.md`,
    implementation: `${sourceDir}${source}.py`,
    init: `${sourceDir}__init__.py`,
    spec: `${sourceDir}connector_spec.yaml`,
    readme: `${sourceDir}README.md`,
    pyproject: `${sourceDir}pyproject.toml`,
    mergedSource: `${sourceDir}_generated_${source}_python_source.py`,
    testsDir,
    testsInit: `${testsDir}__init__.py`,
    testFile: `${testsDir}test_${source}_lakeflow_connect.py`,
    authTest: `${testsDir}auth_test.py`,
    simulatorDir,
    simulatorEndpoints: `${simulatorDir}endpoints.yaml`,
    simulatorCorpus: `${simulatorDir}corpus/`,
  };
}

/**
 * A path as comments show it: the package root `src/databricks/labs/community_connector/` is
 * dropped, so `…/sources/{s}/{s}.py` reads `sources/{s}/{s}.py` and simulator specs read
 * `source_simulator/specs/{s}/`. Other paths are returned unchanged.
 */
export function shortPath(path: string): string {
  return path.startsWith(PACKAGE_ROOT) ? path.slice(PACKAGE_ROOT.length) : path;
}

/**
 * The file each stage is judged by first (its main deliverable): what a re-check on a moved head
 * looks for, and what a scripted stage writes in tests. `layout` is the run's (upstream when absent).
 */
export function primaryFileOfStage(
  source: string,
  stage: Stage,
  layout: TargetLayout = DEFAULT_LAYOUT,
): string {
  const paths = connectorPaths(source, layout);
  switch (stage) {
    case 'research':
      return paths.apiDoc;
    case 'auth':
      return paths.authTest;
    case 'implement':
      return paths.implementation;
    case 'test':
      return paths.testFile;
    case 'docs_spec':
      return paths.readme;
    case 'package':
      return paths.pyproject;
    default:
      return assertNever(stage);
  }
}
