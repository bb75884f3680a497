import { z } from 'zod';

/**
 * Where things live in the connector repository (databrickslabs/lakeflow-community-connectors and
 * its forks). Every checker, prompt and gate reads these facts from here, so following an upstream
 * move is one edit.
 */

/** The Python package every connector and the framework live under. */
export const FRAMEWORK_PACKAGE = 'databricks.labs.community_connector';

/** Repository folder of {@link FRAMEWORK_PACKAGE}. */
export const PACKAGE_ROOT = 'src/databricks/labs/community_connector/';

/** A class the framework exports: the module it is imported from and its name. */
export interface FrameworkName {
  module: string;
  name: string;
}

/** The base class of every connector implementation. */
export const LAKEFLOW_CONNECT: FrameworkName = {
  module: `${FRAMEWORK_PACKAGE}.interface`,
  name: 'LakeflowConnect',
};

/** The Spark data source base class each connector's `__init__.py` subclasses. */
export const LAKEFLOW_SOURCE: FrameworkName = {
  module: `${FRAMEWORK_PACKAGE}.sparkpds`,
  name: 'LakeflowSource',
};

/** Optional mix-ins a connector class may add (partitioned reads, namespaces, the ingestion agent). */
export const CONNECTOR_MIXINS: readonly FrameworkName[] = [
  { module: `${FRAMEWORK_PACKAGE}.interface`, name: 'SupportsPartition' },
  { module: `${FRAMEWORK_PACKAGE}.interface`, name: 'SupportsPartitionedStream' },
  { module: `${FRAMEWORK_PACKAGE}.interface`, name: 'SupportsNamespaces' },
  { module: `${FRAMEWORK_PACKAGE}.interface`, name: 'SupportsIngestionAgent' },
];

/** The class attribute of the `DataSource` subclass that names the connector class. */
export const CONNECT_CLASS_ATTRIBUTE = '_lakeflow_connect_cls';

/** The pytest harness connector tests subclass. */
export const TEST_HARNESS: FrameworkName = {
  module: 'tests.unit.sources.test_suite',
  name: 'LakeflowConnectTests',
};

/** Other harness classes a connector's tests may subclass instead of or beside {@link TEST_HARNESS}. */
export const OTHER_TEST_HARNESSES: readonly FrameworkName[] = [
  { module: 'tests.unit.sources.test_partition_suite', name: 'SupportsPartitionTests' },
  { module: 'tests.unit.sources.test_partition_suite', name: 'SupportsPartitionedStreamTests' },
  { module: 'tests.unit.sources.test_write_back_suite', name: 'LakeflowConnectWriteBackTests' },
];

/** The four abstract methods of `LakeflowConnect`. */
export const ABSTRACT_METHODS = [
  'list_tables',
  'get_table_schema',
  'read_table_metadata',
  'read_table',
] as const;

/** The ingestion types `read_table_metadata` may return. */
export const INGESTION_TYPES = ['snapshot', 'cdc', 'cdc_with_deletes', 'append'] as const;

/** The script that writes each connector's merged single-file source, relative to the repository root. */
export const MERGE_SCRIPT = 'tools/scripts/merge_python_source.py';

/** The framework modules a repository must have for connectors to import and run. */
export const FRAMEWORK_MODULES: readonly string[] = [
  `${PACKAGE_ROOT}interface/__init__.py`,
  `${PACKAGE_ROOT}interface/lakeflow_connect.py`,
  `${PACKAGE_ROOT}sparkpds/__init__.py`,
  `${PACKAGE_ROOT}source_simulator/__init__.py`,
  'tests/unit/sources/test_suite.py',
  MERGE_SCRIPT,
];

/**
 * A folder of the layout: relative to the repository root, `/`-separated, no leading or trailing
 * `/`, no empty, `.`, `..` or hidden (dot-first) segment.
 */
export const LAYOUT_DIR = /^[\w-][\w.-]*(?:\/[\w-][\w.-]*)*$/;

const LayoutDir = z.string().min(1).max(200).regex(LAYOUT_DIR);

/**
 * The three folders a repository config may move (`paths.*`), relative to the repository root, no
 * trailing `/`. A run snapshots them (`RunSettings.layout`) and its jobs carry them.
 */
export const TargetLayout = z.object({
  sources: LayoutDir,
  tests: LayoutDir,
  simulatorSpecs: LayoutDir,
});
export type TargetLayout = z.infer<typeof TargetLayout>;

/** The layout of the upstream repository. */
export const DEFAULT_LAYOUT: TargetLayout = Object.freeze({
  sources: `${PACKAGE_ROOT}sources`,
  tests: 'tests/unit/sources',
  simulatorSpecs: `${PACKAGE_ROOT}source_simulator/specs`,
});
