import { assertNever } from '../../domain/assert-never.js';
import { type CiGate, mergedSourcePath } from '../../domain/ci/results-artifact.js';
import type { CiMode } from '../../domain/pipeline/run.js';
import { connectorPaths } from '../../domain/target-repo/connector-paths.js';
import { MERGE_SCRIPT, type TargetLayout } from '../../domain/target-repo/layout.js';

/** Paths inside a checkout of the target repository laid out as `layout`, relative to its root. */
export const TARGET_PATHS = {
  sourceDir: (source: string, layout: TargetLayout) => `${layout.sources}/${source}`,
  testsDir: (source: string, layout: TargetLayout) => `${layout.tests}/${source}`,
  authTest: (source: string, layout: TargetLayout) => connectorPaths(source, layout).authTest,
  generated: mergedSourcePath,
  mergeScript: MERGE_SCRIPT,
} as const;

/**
 * The gates the workflow runs per mode, in `CI_GATES` order. `auth` only runs the connector's
 * `auth_test.py` against the real source; `live` runs the connector's tests with credentials; pylint
 * comes with `simulate` and `package`. Only `package` checks the merged source file (the package
 * stage owns it: a test-stage run could never make it current) and builds the wheel.
 */
export function planGates(mode: CiMode): CiGate[] {
  switch (mode) {
    case 'auth':
      return ['auth_test'];
    case 'live':
      return ['pytest'];
    case 'simulate':
      return ['pytest', 'pylint'];
    case 'package':
      return ['pytest', 'merged_source', 'pylint', 'wheel'];
    default:
      return assertNever(mode);
  }
}

/** True when the mode must never see `CONNECTOR_TEST_*` (credentials reach only `live` and `auth`). */
export function stripsCredentials(mode: CiMode): boolean {
  return mode === 'simulate' || mode === 'package';
}
