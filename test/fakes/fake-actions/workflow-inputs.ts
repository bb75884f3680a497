import { z } from 'zod';
import { CiMode } from '../../../src/domain/pipeline/run.js';
import { DEFAULT_ENVIRONMENT, ENVIRONMENT_NAME } from '../../../src/domain/pipeline/settings.js';
import { DEFAULT_LAYOUT, LAYOUT_DIR, type TargetLayout } from '../../../src/domain/target-repo/layout.js';

/** The bot's workflow file, and the workflow's `name:` (what GitHub reports as the run's `name`). */
export const WORKFLOW_FILE = 'lakeflow-connector-tests.yml';
export const WORKFLOW_NAME = 'lakeflow-connector-tests';

function folder(name: string) {
  return z.string().max(200).regex(LAYOUT_DIR, `${name} must be a folder relative to the repository root`);
}

/** The workflow's folder inputs as the layout its gates run on. */
export function layoutOf(inputs: WorkflowInputs): TargetLayout {
  return { sources: inputs.sources_dir, tests: inputs.tests_dir, simulatorSpecs: inputs.simulator_specs_dir };
}

/**
 * The `workflow_dispatch` inputs, checked as the workflow's first step checks them; the optional
 * ones take the workflow's defaults.
 */
export const WorkflowInputs = z.strictObject({
  source: z.string().regex(/^[a-z0-9_]+$/, 'source must match ^[a-z0-9_]+$'),
  mode: CiMode,
  run_key: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9._-]+$/, 'run_key must match ^[A-Za-z0-9._-]+$'),
  environment: z
    .string()
    .max(255)
    .regex(ENVIRONMENT_NAME, 'environment must be letters, digits, _ . - and single inner spaces')
    .default(DEFAULT_ENVIRONMENT),
  sources_dir: folder('sources_dir').default(DEFAULT_LAYOUT.sources),
  tests_dir: folder('tests_dir').default(DEFAULT_LAYOUT.tests),
  simulator_specs_dir: folder('simulator_specs_dir').default(DEFAULT_LAYOUT.simulatorSpecs),
});
export type WorkflowInputs = z.infer<typeof WorkflowInputs>;

/** The workflow's `run-name`: it ends with the run key, which is how the bot finds its run. */
export function buildRunName(inputs: Record<string, unknown>): string {
  const text = (key: string) => (typeof inputs[key] === 'string' ? inputs[key] : '');
  return `${WORKFLOW_NAME} ${text('source')} ${text('mode')} ${text('run_key')}`;
}
