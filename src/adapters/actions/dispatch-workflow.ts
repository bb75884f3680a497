import { ConfigError } from '../../errors.js';
import { NO_PLUGIN_RETRY } from '../github/create-once.js';
import type { ActionsClient } from './actions-client.js';
import { type DispatchParams, dispatchInputs } from './dispatch-inputs.js';

/**
 * `POST …/actions/workflows/{file}/dispatches` on `branch` with the inputs `source`, `mode` and
 * `run_key`, plus the run's environment and folders where they are not the defaults
 * (`dispatchInputs`). GitHub answers 204 with no run id, so the run is found later by its name
 * (`findWorkflowRun`). A 404 (no such workflow on the default branch) and a 422 (no
 * `workflow_dispatch` trigger, unknown inputs, no such branch) can never pass on retry: they are
 * `ConfigError`s telling the maintainer what to fix. Sent once, without Octokit's retry plugin: a
 * 5xx may come after GitHub started the run, and re-sending would start it twice (the caller looks
 * the run up by its key before dispatching again).
 */
export async function dispatchWorkflow(client: ActionsClient, params: DispatchParams): Promise<void> {
  const file = await client.workflowFile();
  const where = `${client.owner}/${client.repo}`;
  await client.call(
    (octokit) =>
      octokit.rest.actions.createWorkflowDispatch({
        owner: client.owner,
        repo: client.repo,
        workflow_id: file,
        ref: params.branch,
        inputs: dispatchInputs(params),
        ...NO_PLUGIN_RETRY,
      }),
    (status, error) => {
      if (status === 404) {
        throw new ConfigError(
          `The workflow \`.github/workflows/${file}\` does not exist on the default branch of ${where}. ` +
            'Run `npx lakeflow-connector-bot init` in a clone of the repository, merge the workflow it adds ' +
            'to the default branch, then comment `/retry`.',
          { cause: error },
        );
      }
      if (status === 422) {
        throw new ConfigError(
          `GitHub refused to start \`.github/workflows/${file}\` on branch \`${params.branch}\` (${reasonOf(error)}). ` +
            'The workflow needs a `workflow_dispatch` trigger with the inputs `source`, `mode` and `run_key` ' +
            '(and `environment`, `sources_dir`, `tests_dir`, `simulator_specs_dir` when the repository config sets `environment` or `paths`): ' +
            'update it with `npx lakeflow-connector-bot init`, merge it to the default branch, then comment `/retry`.',
          { cause: error },
        );
      }
      return undefined;
    },
  );
  client.log.info(
    { workflow: file, branch: params.branch, runKey: params.runKey },
    'Dispatched the CI workflow',
  );
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message.split(' - ')[0] : undefined;
  return (message ?? 'unprocessable').trim().slice(0, 300);
}
