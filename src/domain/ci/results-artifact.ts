import { z } from 'zod';
import { connectorPaths } from '../target-repo/connector-paths.js';
import { DEFAULT_LAYOUT, type TargetLayout } from '../target-repo/layout.js';

/**
 * The contract between the bot's workflow (`.github/workflows/lakeflow-connector-tests.yml`), the
 * Actions adapter that reads its results, and the runners that stand in for Actions (the fake
 * Actions of the tests, the local CLI). One artifact per workflow run, a zip holding:
 *
 * - `summary.json`: {@link ResultsSummary}, always written (step `if: always()`);
 * - `junit.xml`: pytest's JUnit XML, when pytest ran;
 * - `logs/<gate>.txt`: the tail of each gate's output, at most {@link MAX_LOG_EXCERPT_BYTES} each;
 * - `dist/*.whl`: the wheel, in `package` mode;
 * - `generated/<repo path>`: in `package` mode, when the committed merged source file is missing or
 *   out of date, the one file the repository's merge script regenerated
 *   ({@link mergedSourcePath}); the `merged_source` gate is `failed` all the same. The bot commits
 *   it when no other gate failed (the agents have no shell to run the script).
 *
 * Never a cassette, a `.env`, or anything read from `CONNECTOR_TEST_CONFIG_JSON`.
 */
export const RESULTS_ARTIFACT_NAME = 'lakeflow-connector-results';

/** CI modes of the bot's workflow (the README, How a run goes). */
export const CiMode = z.enum(['simulate', 'live', 'auth', 'package']);
export type CiMode = z.infer<typeof CiMode>;

/** File names inside the artifact zip. */
export const RESULTS_FILES = {
  summary: 'summary.json',
  junit: 'junit.xml',
  logsDir: 'logs/',
  wheelsDir: 'dist/',
  generatedDir: 'generated/',
} as const;

/**
 * The merged single-file source of `source`, relative to the repository root (docs/target-repository.md), in
 * the run's `layout` (the upstream layout, which the bot's workflow uses, when absent).
 */
export function mergedSourcePath(source: string, layout: TargetLayout = DEFAULT_LAYOUT): string {
  return connectorPaths(source, layout).mergedSource;
}

/** Largest regenerated merged source the bot reads from the artifact and commits. */
export const MAX_REGENERATED_SOURCE_BYTES = 2 * 1024 * 1024;

/** Bytes kept from the end of each gate's log. */
export const MAX_LOG_EXCERPT_BYTES = 8_000;

/** The gates the workflow can run, in the order it runs them. */
export const CI_GATES = ['auth_test', 'pytest', 'merged_source', 'pylint', 'wheel'] as const;
export const CiGate = z.enum(CI_GATES);
export type CiGate = z.infer<typeof CiGate>;

/** What became of one gate: a step outcome as GitHub reports it (`success` → `passed`, …). */
export const GateOutcome = z.enum(['passed', 'failed', 'skipped']);
export type GateOutcome = z.infer<typeof GateOutcome>;

/** Each gate that ran and how it ended; a gate that did not run is absent. */
export const GateResults = z.partialRecord(CiGate, GateOutcome);
export type GateResults = z.infer<typeof GateResults>;

/** `summary.json`: which gates ran and how they ended, written by the workflow's last step. */
export const ResultsSummary = z.object({
  version: z.literal(1),
  source: z.string().regex(/^[a-z0-9_]+$/),
  mode: CiMode,
  runKey: z.string().max(200),
  gates: GateResults,
});
export type ResultsSummary = z.infer<typeof ResultsSummary>;
