import { parseConnectorRequest } from '../domain/intake/parse-connector-request.js';
import { planRun } from '../domain/pipeline/plan-run.js';
import type { RunRef } from '../domain/pipeline/run.js';
import type { RunSettings } from '../domain/pipeline/settings.js';
import { connectorPaths } from '../domain/target-repo/connector-paths.js';
import { ConfigError } from '../errors.js';
import type { GitHubPort } from '../ports/github.js';
import { applyRunEvent, commitAndRun, flushOutbox } from './apply-run-event.js';
import type { EventJob } from './event-job.js';
import { loadOrRebuild } from './load-or-rebuild.js';
import { runEffects } from './run-effects.js';
import type { WorkerDeps } from './worker-deps.js';

/** Opened or edited issue: parse the body; errors go to one comment, a good request is planned or re-planned. */
export async function onIssueRequest(
  deps: WorkerDeps,
  jobId: string,
  job: Extract<EventJob, { kind: 'issue_request' }>,
): Promise<string> {
  const { ref } = job;
  const parsed = parseConnectorRequest(job.body);
  // An edit of an issue whose run Redis lost must reach that run (rebuilt), never plan a new one.
  const stored = job.action === 'edited' ? await loadOrRebuild(deps, ref) : await deps.store.load(ref);
  if (!parsed.ok) {
    await runEffects(deps, { ref, run: stored?.run ?? null }, [
      { type: 'post_request_errors', errors: parsed.errors },
    ]);
    return 'invalid_request';
  }
  if (stored !== null) {
    // A retried `opened` whose plan was saved but not yet posted still owes its outbox.
    const flushed = await flushOutbox(deps, ref, stored);
    await runEffects(deps, { ref, run: flushed.run }, [{ type: 'clear_request_errors' }]);
    if (job.action === 'opened') return 'duplicate';
    return applyRunEvent(deps, ref, { type: 'request_edited', id: jobId, request: parsed.request }, flushed);
  }
  const github = deps.github(ref);
  const source = parsed.request.source;
  const settings = await settingsOrComment(deps, ref, github);
  if (settings === null) return 'invalid_config';
  const [sourceExists, activeRun] = await Promise.all([
    github.pathExists(connectorPaths(source, settings.layout).implementation),
    deps.store.findActiveRun({
      installationId: ref.installationId,
      owner: ref.owner,
      repo: ref.repo,
      source,
    }),
  ]);
  const decision = planRun({
    ref,
    repoUrl: job.repoUrl,
    request: parsed.request,
    settings,
    now: deps.clock.now().toISOString(),
    sourceExists,
    activeRun,
  });
  if (decision.kind === 'duplicate') {
    await runEffects(deps, { ref, run: null }, decision.effects);
    return 'duplicate_source';
  }
  await commitAndRun(
    deps,
    ref,
    { run: decision.run, effects: decision.effects, eventId: jobId, appliedEventIds: [] },
    0,
  );
  return 'planned';
}

/**
 * The repository's run settings; an invalid config file is quoted in a comment on the issue (the
 * run waits: editing the issue after fixing the file plans it) and `null` is returned.
 */
async function settingsOrComment(
  deps: WorkerDeps,
  ref: RunRef,
  github: GitHubPort,
): Promise<RunSettings | null> {
  try {
    return await deps.settings(github);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const body = `${error.message}\n\nFix the file on the default branch, then edit this issue (any change) to plan the run again.`;
    await runEffects(deps, { ref, run: null }, [
      { type: 'reply', key: 'config-error', target: { kind: 'issue', number: ref.issue }, body },
    ]);
    return null;
  }
}
