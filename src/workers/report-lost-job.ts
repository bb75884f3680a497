import type { RunEvent } from '../domain/pipeline/events.js';
import { StageJob, VerificationJob } from '../domain/pipeline/jobs.js';
import { NO_USAGE } from '../domain/pipeline/run.js';
import { reportStageFailed } from './report-stage-failed.js';
import type { WorkerDeps } from './worker-deps.js';

/** What the queue knows of a phases job it failed without its processor finishing. */
export interface LostJob {
  /** `stage`, `stage-flow` or `verification` are reported; other kinds gate nothing. */
  kind: 'stage' | 'verification' | 'other';
  data: unknown;
  /** The queue's reason, e.g. "job stalled more than allowable limit". */
  failedReason: string;
}

/**
 * A phases job the queue failed for good while no processor was running it: its worker died (a
 * `kill -9`, a lost machine) more often than the stalled-job limit allows. No processor is left to
 * report, so the run would wait forever; this tells it, with the event id a normal result would
 * have (`<job id>-result`), so a result that did arrive counts once. A stage fails with the cause
 * and what its recorded turns cost (`/retry` runs it again); a moved-head re-check fails its gate.
 * Returns what was reported, for the log.
 */
export async function reportLostJob(deps: WorkerDeps, lost: LostJob): Promise<string> {
  if (lost.kind === 'verification') {
    const parsed = VerificationJob.safeParse(lost.data);
    if (!parsed.success) return 'ignored_invalid_data';
    const job = parsed.data;
    const event: RunEvent = {
      type: 'verification_completed',
      id: `${job.jobId}-result`,
      headSha: job.headSha,
      ok: false,
      message: `its re-check could not run, the job was lost (its worker stopped responding${because(lost)}); \`/retry\` runs the stage again`,
    };
    await deps.jobs.enqueueEvent(event.id, { kind: 'run_event', ref: job.ref, event });
    return 'reported_verification';
  }
  if (lost.kind !== 'stage') return 'ignored_kind';
  const parsed = StageJob.safeParse(lost.data);
  if (!parsed.success) return 'ignored_invalid_data';
  const job = parsed.data;
  const usage = deps.spendLedger === undefined ? NO_USAGE : (await deps.spendLedger.total(job.jobId)).usage;
  await reportStageFailed(deps, job, {
    usage,
    durationMs: 0,
    reason: `The ${job.stage} job was lost: its worker stopped responding too many times (killed or cut off${because(lost)}), so it was not run again. \`/retry\` runs the stage again.`,
  });
  return 'reported_stage';
}

function because(lost: LostJob): string {
  const reason = lost.failedReason.trim().slice(0, 200);
  return reason === '' ? '' : `: ${reason}`;
}
