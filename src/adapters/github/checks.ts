import { assertNever } from '../../domain/assert-never.js';
import type { CheckState } from '../../ports/github.js';
import { createOnce, NO_PLUGIN_RETRY } from './create-once.js';
import type { KnownIds } from './known-ids.js';
import type { RepoClient } from './repo-client.js';
import { CheckRunCreated, CheckRuns } from './schema.js';

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
 * Creates the check run `name` on `headSha`, or updates the one there is: the one this process
 * created or found before (`known`, no lookup; a 404 forgets it), else the one found by name on that
 * commit. Finished states complete the run with a conclusion and `completed_at` = `now`.
 */
export async function upsertCheckRun(
  client: RepoClient,
  params: { name: string; headSha: string; state: CheckState; title: string; summary: string; now: Date },
  known: KnownIds,
): Promise<void> {
  const { owner, repo } = client;
  const idKey = `${owner}/${repo}@${params.headSha}:${params.name}`.toLowerCase();
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
  const update = async (id: number) =>
    (await client.getOrNull(CheckRunCreated, (octokit) =>
      octokit.rest.checks.update({ owner, repo, check_run_id: id, ...fields }),
    )) !== null;
  const knownId = known.get(idKey);
  if (knownId !== undefined) {
    if (await update(knownId)) return;
    known.forget(idKey);
  }
  const found = await find();
  if (found !== null && (await update(found.id))) {
    known.set(idKey, found.id);
    return;
  }
  const created = await createOnce(
    async () => {
      const response = await client.get(CheckRunCreated, (octokit) =>
        octokit.rest.checks.create({
          owner,
          repo,
          name: params.name,
          head_sha: params.headSha,
          ...fields,
          ...NO_PLUGIN_RETRY,
        }),
      );
      return response.id;
    },
    async () => (await find())?.id ?? null,
  );
  known.set(idKey, created);
}
