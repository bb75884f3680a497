import { assertNever } from '../../domain/assert-never.js';
import type { CheckState } from '../../ports/github.js';
import { createOnce, NO_PLUGIN_RETRY } from './create-once.js';
import type { RepoClient } from './repo-client.js';
import { CheckRuns } from './schema.js';

/** The status fields of a check run for a state of ours. */
type CheckStatus =
  | { status: 'queued' | 'in_progress' }
  | { status: 'completed'; conclusion: 'success' | 'failure' | 'cancelled'; completed_at: string };

function checkStatus(state: CheckState, now: Date): CheckStatus {
  switch (state) {
    case 'queued':
    case 'in_progress':
      return { status: state };
    case 'success':
    case 'failure':
    case 'cancelled':
      return { status: 'completed', conclusion: state, completed_at: now.toISOString() };
    default:
      return assertNever(state);
  }
}

/**
 * Creates the check run `name` on `headSha`, or updates the one there is (found by name on that
 * commit). Finished states complete the run with a conclusion and `completed_at` = `now`.
 */
export async function upsertCheckRun(
  client: RepoClient,
  params: { name: string; headSha: string; state: CheckState; title: string; summary: string; now: Date },
): Promise<void> {
  const { owner, repo } = client;
  const find = async () => {
    const existing = await client.get(CheckRuns, (octokit) =>
      octokit.rest.checks.listForRef({ owner, repo, ref: params.headSha, check_name: params.name }),
    );
    return existing.check_runs[0] ?? null;
  };
  const fields = {
    ...checkStatus(params.state, params.now),
    output: { title: params.title, summary: params.summary },
  };
  const found = await find();
  if (found === null) {
    await createOnce(
      async () => {
        await client.call((octokit) =>
          octokit.rest.checks.create({
            owner,
            repo,
            name: params.name,
            head_sha: params.headSha,
            ...fields,
            ...NO_PLUGIN_RETRY,
          }),
        );
        return true;
      },
      async () => ((await find()) === null ? null : true),
    );
    return;
  }
  await client.call((octokit) =>
    octokit.rest.checks.update({ owner, repo, check_run_id: found.id, ...fields }),
  );
}
