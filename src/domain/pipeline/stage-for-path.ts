import { connectorPaths } from '../target-repo/connector-paths.js';
import { DEFAULT_LAYOUT, type TargetLayout } from '../target-repo/layout.js';
import type { Stage } from './phase.js';

/**
 * The stage that owns a file of the connector, so a PR review comment on it is fed to the right
 * `/revise`. Paths follow the run's layout (`connectorPaths`, the upstream layout when absent); `null` for
 * other files.
 */
export function stageForPath(
  source: string,
  path: string,
  layout: TargetLayout = DEFAULT_LAYOUT,
): Stage | null {
  const paths = connectorPaths(source, layout);
  if (path.startsWith(paths.simulatorDir)) return 'implement';
  if (path.startsWith(paths.testsDir)) return path.endsWith('auth_test.py') ? 'auth' : 'test';
  if (!path.startsWith(paths.sourceDir)) return null;
  if (path === paths.apiDoc) return 'research';
  if (path === paths.readme || path === paths.spec) return 'docs_spec';
  if (path === paths.pyproject || path.startsWith(`${paths.sourceDir}_generated_`)) return 'package';
  return 'implement';
}
