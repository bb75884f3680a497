import type { TargetLayout } from '../layout.js';
import { type ConnectorModel, readConnector } from '../read-connector.js';
import { apiDocProblems, readmeProblems } from './docs.js';
import { connectorClassProblems, dataSourceProblems, ingestionProblems } from './implementation.js';
import { importProblems } from './imports.js';
import { mergedSourceProblems, packageProblems } from './package.js';
import type { ConnectorProblem } from './problem.js';
import { simulatorProblems } from './simulator.js';
import { connectionProblems, optionProblems } from './spec.js';
import { testClassProblems } from './test-class.js';

/** The checks every merged connector passes, by the repository's own rules (its review rubric and CI), in order. */
export const MERGED_CONNECTOR_CHECKS: readonly ((model: ConnectorModel) => ConnectorProblem[])[] = [
  connectorClassProblems,
  ingestionProblems,
  dataSourceProblems,
  importProblems,
  testClassProblems,
  simulatorProblems,
  apiDocProblems,
  connectionProblems,
  optionProblems,
  readmeProblems,
  packageProblems,
  mergedSourceProblems,
];

/** Runs every merged-connector check on one connector's files (path → text); no problem means it would be merged. */
export function checkMergedConnector(params: {
  source: string;
  files: ReadonlyMap<string, string>;
  layout?: TargetLayout;
}): ConnectorProblem[] {
  const model = readConnector(params);
  return MERGED_CONNECTOR_CHECKS.flatMap((check) => check(model));
}
