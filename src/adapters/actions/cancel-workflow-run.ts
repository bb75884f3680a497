import type { ActionsClient } from './actions-client.js';

/**
 * Cancels run `runId`. GitHub answers 409 for a run that already finished: there is nothing to
 * cancel, so that is not an error. Other failures are `BotError`s as everywhere in the adapter.
 */
export async function cancelWorkflowRun(
  client: ActionsClient,
  runId: number,
): Promise<'cancelled' | 'finished'> {
  return client.call(
    async (octokit) => {
      await octokit.rest.actions.cancelWorkflowRun({ owner: client.owner, repo: client.repo, run_id: runId });
      return 'cancelled' as const;
    },
    (status) => (status === 409 ? ('finished' as const) : undefined),
  );
}
