import { z } from 'zod';
import { CiMode } from '../../../src/domain/pipeline/run.js';

/** The bot's workflow file, and the workflow's `name:` (what GitHub reports as the run's `name`). */
export const WORKFLOW_FILE = 'lakeflow-connector-tests.yml';
export const WORKFLOW_NAME = 'lakeflow-connector-tests';

/** The `workflow_dispatch` inputs, checked as the workflow's first step checks them. */
export const WorkflowInputs = z.strictObject({
  source: z.string().regex(/^[a-z0-9_]+$/, 'source must match ^[a-z0-9_]+$'),
  mode: CiMode,
  run_key: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9._-]+$/, 'run_key must match ^[A-Za-z0-9._-]+$'),
});
export type WorkflowInputs = z.infer<typeof WorkflowInputs>;

/** The workflow's `run-name`: it ends with the run key, which is how the bot finds its run. */
export function buildRunName(inputs: Record<string, unknown>): string {
  const text = (key: string) => (typeof inputs[key] === 'string' ? inputs[key] : '');
  return `${WORKFLOW_NAME} ${text('source')} ${text('mode')} ${text('run_key')}`;
}
