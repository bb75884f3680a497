import type { CiMode } from '../../domain/pipeline/run.js';
import { DEFAULT_ENVIRONMENT } from '../../domain/pipeline/settings.js';
import { DEFAULT_LAYOUT, type TargetLayout } from '../../domain/target-repo/layout.js';

/** What one dispatch of the bot's workflow carries (`CiPort.dispatch`). */
export interface DispatchParams {
  branch: string;
  source: string;
  mode: CiMode;
  runKey: string;
  /** The GitHub environment of live and auth runs (`RunSettings.environment`); default `lakeflow-live`. */
  environment?: string;
  /** Where the repository keeps connectors (`RunSettings.layout`); default the upstream layout. */
  layout?: TargetLayout;
}

/**
 * The `workflow_dispatch` inputs: `source`, `mode`, `run_key`, and, only where the run's settings
 * differ from the workflow's defaults, `environment`, `sources_dir`, `tests_dir` and
 * `simulator_specs_dir` (a workflow installed before those inputs existed still accepts a dispatch
 * of a repository that keeps the defaults; GitHub refuses unknown inputs with a 422).
 */
export function dispatchInputs(params: DispatchParams): Record<string, string> {
  const inputs: Record<string, string> = { source: params.source, mode: params.mode, run_key: params.runKey };
  const environment = params.environment ?? DEFAULT_ENVIRONMENT;
  if (environment !== DEFAULT_ENVIRONMENT) inputs.environment = environment;
  const layout = params.layout ?? DEFAULT_LAYOUT;
  if (layout.sources !== DEFAULT_LAYOUT.sources) inputs.sources_dir = layout.sources;
  if (layout.tests !== DEFAULT_LAYOUT.tests) inputs.tests_dir = layout.tests;
  if (layout.simulatorSpecs !== DEFAULT_LAYOUT.simulatorSpecs)
    inputs.simulator_specs_dir = layout.simulatorSpecs;
  return inputs;
}
