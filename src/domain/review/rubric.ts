/**
 * The target repository's self-review rubric (`self-review-connector`; docs/target-repository.md, Self-review): 54 checks in
 * five sections, each with a severity. Data only; `score.ts` turns per-check results into a score.
 */

/** The rubric's sections, in the order the comment lists them. */
export const REVIEW_SECTIONS = {
  A: 'Implementation',
  B: 'Testing & simulator',
  C: 'Artifacts',
  D: 'Security',
  E: 'Cross-doc consistency',
} as const;
export type ReviewSection = keyof typeof REVIEW_SECTIONS;

export const SEVERITIES = ['BLOCKER', 'MAJOR', 'MINOR'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One rubric check: its id (`A1`…`E7`), section, severity and what it asks, in one line. */
export interface RubricCheck {
  id: string;
  section: ReviewSection;
  severity: Severity;
  check: string;
}

const B = 'BLOCKER';
const MAJ = 'MAJOR';
const MIN = 'MINOR';

const ROWS: ReadonlyArray<readonly [string, Severity, string]> = [
  ['A1', B, 'class extends `LakeflowConnect`'],
  ['A2', B, 'four abstract methods defined'],
  ['A3', B, '`read_table_deletes` if any `cdc_with_deletes`'],
  ['A4', MAJ, 'deliberate read pattern (standard / window / limit / partitioned)'],
  ['A5', MAJ, '`_init_time` cap + early-return guard'],
  ['A6', MAJ, '`max_records_per_batch` on all incremental tables; append uses server limit, not truncation'],
  ['A7', MAJ, 'every requests/session call has `timeout=`'],
  ['A8', MIN, '`LongType` not `IntegerType`, `StructType` not `MapType`'],
  ['A9', MIN, 'no flattening'],
  ['A10', MAJ, 'imports only source dir / interface / libs / requests / pyspark / stdlib'],
  ['A11', MAJ, 'pylint clean with CI flags'],
  ['A12', MAJ, 'no ingestion-agent surface'],
  ['A13', B, '`<Source>DataSource(LakeflowSource)` with `_lakeflow_connect_cls` in `__init__.py`'],
  ['B1', B, 'test file exists'],
  ['B2', B, 'subclasses `LakeflowConnectTests` (+ partition mixin if partitioned)'],
  ['B3', B, '`connector_class` set'],
  ['B4', B, '`simulator_source = "{source}"`'],
  ['B5', B, '`replay_config` keys match the `options.get(...)` keys in `__init__`'],
  ['B6', B, '`endpoints.yaml` exists'],
  ['B7', B, 'at least one corpus JSON'],
  ['B8', MAJ, 'every URL literal in the connector has a matching spec `path`'],
  ['B9', B, '`test_read_terminates` passes in simulate mode'],
  ['B10', B, 'all other tests pass in simulate mode'],
  ['B11', MAJ, 'a live/record run is on file, shows no drift, newer than the code and spec'],
  ['B12', MIN, 'coverage complete (no spec endpoint unhit)'],
  ['B13', MAJ, 'capped connectors declare `synthesize_future_records`'],
  ['B14', MIN, '`test_utils_class` set when write-back is supported'],
  ['C1', B, '`{source}.py` exists and compiles'],
  ['C2', B, 'api doc exists and mentions every table'],
  [
    'C3',
    B,
    '`connector_spec.yaml` parses, has connection params, an allowlist if `table_options` are read, OAuth rules',
  ],
  ['C4', B, 'README exists and mentions every table and every connection param'],
  ['C5', B, '`pyproject.toml` parses, and its deps include `requests` plus any live import'],
  ['C6', MIN, '`_generated_…` exists and is newer than `{source}.py`'],
  ['C7', B, '`endpoints.yaml` loads via `endpoint_spec.load_specs`'],
  ['C8', B, 'every corpus file is valid JSON'],
  ['C9', B, 'test class exists'],
  ['C10', B, 'no `pyspark` in runtime deps'],
  ['D1', B, 'no hard-coded secrets'],
  ['D2', B, 'no eval/exec/compile/dynamic `__import__`'],
  ['D3', MAJ, 'no subprocess/os.system/popen/shell=True'],
  ['D4', MAJ, 'no `verify=False`'],
  ['D5', B, 'no `pickle.load`'],
  ['D6', MAJ, '`yaml.safe_load` only'],
  ['D7', MAJ, 'no path traversal from `table_options`'],
  ['D8', MAJ, 'no secrets/headers/bodies in logs'],
  ['D9', MAJ, 'no `http://` base URLs'],
  ['D10', MIN, 'deps pinned with upper bounds'],
  ['E1', MAJ, '`list_tables()` = api-doc tables = README tables'],
  ['E2', MAJ, 'connection keys read in `__init__` = spec params = README'],
  ['E3', MIN, 'schema columns are a subset of api-doc fields'],
  ['E4', MAJ, 'primary keys match the api doc'],
  ['E5', MAJ, 'allowlist covers every `table_options` key read'],
  ['E6', MIN, 'README examples use spec param names'],
  ['E7', MIN, 'README does not contradict the api doc on rate limits, pagination or auth'],
];

/** Every check of the rubric, in order. */
export const RUBRIC: readonly RubricCheck[] = Object.freeze(
  ROWS.map(([id, severity, check]) => ({ id, section: id[0] as ReviewSection, severity, check })),
);

/** The ids of every check, in order (`A1` … `E7`). */
export const CHECK_IDS: readonly string[] = Object.freeze(RUBRIC.map((row) => row.id));

const BY_ID: ReadonlyMap<string, RubricCheck> = new Map(RUBRIC.map((row) => [row.id, row]));

/** The rubric row of `id`, or undefined for an id the rubric does not have. */
export function rubricCheck(id: string): RubricCheck | undefined {
  return BY_ID.get(id);
}
