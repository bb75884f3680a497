import { connectorPaths } from '../domain/connector-paths.js';
import { parseConnectorRequest } from '../domain/intake/parse-connector-request.js';
import { planRun } from '../domain/pipeline/plan-run.js';
import type { RunRef } from '../domain/pipeline/run.js';
import { InvariantError } from '../errors.js';
import { applyRunEvent, commitAndRun } from './apply-run-event.js';
import { EventJob } from './event-job.js';
import { runEffects } from './run-effects.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * The `events` queue processor: the only writer of run state. Parses the job data (Redis may hold
 * what an older deploy wrote), takes the run's lock and applies the event.
 */
export async function processEventJob(deps: WorkerDeps, jobId: string, data: unknown): Promise<string> {
  const parsed = EventJob.safeParse(data);
  if (!parsed.success)
    throw new InvariantError(`Event job ${jobId} has invalid data: ${parsed.error.message}`);
  const job = parsed.data;
  return deps.store.withLock(job.ref, async () => {
    switch (job.kind) {
      case 'issue_request':
        return onIssueRequest(deps, jobId, job);
      case 'command': {
        const stored = await deps.store.load(job.ref);
        if (stored === null) return replyWithoutRun(deps, job.ref, job.id, job.target.number, job.actor);
        const headSha = await deps.github(job.ref).getBranchHead(stored.run.branch);
        const { kind: _kind, ref: _ref, ...fields } = job;
        return applyRunEvent(deps, job.ref, { type: 'command', ...fields, headSha }, stored);
      }
      case 'run_event': {
        const result = await applyRunEvent(deps, job.ref, job.event);
        if (result === 'no_run')
          deps.log.warn(
            { jobId, issue: job.ref.issue, event: job.event.type },
            'Event for a run that does not exist',
          );
        return result;
      }
    }
  });
}

async function replyWithoutRun(
  deps: WorkerDeps,
  ref: RunRef,
  key: string,
  issue: number,
  actor: string,
): Promise<string> {
  const body = `@${actor} there is no connector run on this issue. Open a **New connector** issue from the template to start one.`;
  await runEffects(deps, { ref, run: null }, [
    { type: 'reply', key, target: { kind: 'issue', number: issue }, body },
  ]);
  return 'no_run';
}

/** Opened or edited issue: parse the body; errors go to one comment, a good request is planned or re-planned. */
async function onIssueRequest(
  deps: WorkerDeps,
  jobId: string,
  job: Extract<EventJob, { kind: 'issue_request' }>,
): Promise<string> {
  const { ref } = job;
  const parsed = parseConnectorRequest(job.body);
  const stored = await deps.store.load(ref);
  if (!parsed.ok) {
    await runEffects(deps, { ref, run: stored?.run ?? null }, [
      { type: 'post_request_errors', errors: parsed.errors },
    ]);
    return 'invalid_request';
  }
  if (stored !== null) {
    await runEffects(deps, { ref, run: stored.run }, [{ type: 'clear_request_errors' }]);
    if (job.action === 'opened') return 'duplicate';
    return applyRunEvent(deps, ref, { type: 'request_edited', id: jobId, request: parsed.request }, stored);
  }
  const github = deps.github(ref);
  const source = parsed.request.source;
  const [settings, sourceExists, activeRun] = await Promise.all([
    deps.settings(github),
    github.pathExists(connectorPaths(source).implementation),
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
