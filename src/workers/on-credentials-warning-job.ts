import {
  renderCredentialWarning,
  renderIssueCredentialWarning,
} from '../domain/render/credential-warning.js';
import { isRequestByLabels } from './check-access.js';
import type { EventJob } from './event-job.js';
import { mayReply } from './may-reply.js';
import { runEffects } from './run-effects.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * Pasted credentials on a run's thread. A comment is hidden at once (GraphQL `minimizeComment`:
 * every second it stays visible counts); an issue description cannot be hidden, and its request was
 * not queued. Then its author gets the warning (rotate it, and how to hand it over as the live
 * environment's secret), rate-limited like every reply. On an issue that is not a request (its labels
 * lack the config's request label), nothing happens.
 */
export async function onCredentialsWarningJob(
  deps: WorkerDeps,
  job: Extract<EventJob, { kind: 'credentials_warning' }>,
): Promise<string> {
  if (!(await isRequestByLabels(deps, job.ref, job.requestLabels))) return 'ignored_not_a_request';
  const log = deps.log.child({ key: job.key, issue: job.ref.issue });
  let hidden = false;
  if (job.where.kind === 'comment' && job.where.nodeId !== null) {
    try {
      await deps.github(job.ref).minimizeComment(job.where.nodeId);
      hidden = true;
    } catch (error) {
      log.warn({ err: error }, 'Could not hide a comment that looks like pasted credentials');
    }
  }
  const outcome =
    job.where.kind === 'description'
      ? 'refused_credentials'
      : hidden
        ? 'hid_credentials'
        : 'credentials_not_hidden';
  if (!(await mayReply(deps, job.ref, job.actor))) return `${outcome}_reply_rate_limited`;
  const { environment } = await deps.access.settings(job.ref);
  const warning =
    job.where.kind === 'comment'
      ? renderCredentialWarning({ hidden, environment })
      : renderIssueCredentialWarning({ action: job.where.action, lines: job.where.lines, environment });
  await runEffects(deps, { ref: job.ref, run: null }, [
    {
      type: 'reply',
      key: job.key,
      target: { kind: 'issue', number: job.ref.issue },
      body: `@${job.actor} ${warning}`,
    },
  ]);
  return outcome;
}
