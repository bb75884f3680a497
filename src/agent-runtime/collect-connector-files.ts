import { connectorPaths } from '../domain/target-repo/connector-paths.js';
import type { TargetLayout } from '../domain/target-repo/layout.js';

/** The folders a connector's files live in (sources, tests, simulator specs). */
function connectorFolders(source: string, layout?: TargetLayout): string[] {
  const paths = connectorPaths(source, layout);
  return [paths.sourceDir, paths.testsDir, paths.simulatorDir];
}

/**
 * Every file of the connector as text, path → content, read through `list` and `read` (a workspace,
 * or GitHub at a given head): what the verifiers judge a stage by. `layout` is the run's (upstream
 * when absent).
 */
export async function collectConnectorFiles(params: {
  source: string;
  layout?: TargetLayout;
  list: (prefix: string) => Promise<string[]>;
  read: (path: string) => Promise<string | null>;
}): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const folder of connectorFolders(params.source, params.layout)) {
    for (const path of await params.list(folder)) {
      const text = await params.read(path);
      if (text !== null) files.set(path, text);
    }
  }
  return files;
}
