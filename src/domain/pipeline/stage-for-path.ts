import type { Stage } from './phase.js';

const CONNECTOR_ROOT = 'src/databricks/labs/community_connector';

/**
 * The stage that owns a file of the connector, so a PR review comment on it is fed to the right
 * `/revise`. Paths follow the target repository's layout (reference §1.2–1.4); `null` for other files.
 */
export function stageForPath(source: string, path: string): Stage | null {
  const sourceDir = `${CONNECTOR_ROOT}/sources/${source}/`;
  if (path.startsWith(`${CONNECTOR_ROOT}/source_simulator/specs/${source}/`)) return 'implement';
  if (path.startsWith(`tests/unit/sources/${source}/`))
    return path.endsWith('auth_test.py') ? 'auth' : 'test';
  if (!path.startsWith(sourceDir)) return null;
  const file = path.slice(sourceDir.length);
  if (file === `${source}_api_doc.md`) return 'research';
  if (file === 'README.md' || file === 'connector_spec.yaml') return 'docs_spec';
  if (file === 'pyproject.toml' || file.startsWith('_generated_')) return 'package';
  return 'implement';
}
