import type { CiPort } from '../../ports/ci.js';
import { type ActionsCiParams, createActionsClient } from './actions-client.js';
import { cancelWorkflowRun } from './cancel-workflow-run.js';
import { dispatchWorkflow } from './dispatch-workflow.js';
import { findWorkflowRun } from './find-workflow-run.js';
import { getRunResults } from './get-run-results.js';

/**
 * The `CiPort` on GitHub Actions for one repository: dispatches the bot's workflow, finds a run by
 * the run key in its name, reads the results artifact (`domain/ci/results-artifact.ts`), and cancels
 * a run the bot stopped waiting for.
 */
export function createActionsCi(params: ActionsCiParams): CiPort {
  const client = createActionsClient(params);
  return {
    dispatch: (dispatch) => dispatchWorkflow(client, dispatch),
    findRun: (runKey, expected) => findWorkflowRun(client, runKey, expected),
    getResults: (runId) => getRunResults(client, runId),
    cancelRun: (runId) => cancelWorkflowRun(client, runId),
  };
}
