import type { Job } from 'bullmq';
import { z } from 'zod';
import { runLogId } from '../../logging.js';

const RefFields = z.object({ owner: z.string(), repo: z.string(), issue: z.number() });

/**
 * The fields of any job's data that say what it is about: events carry `ref` (and a run event its
 * `event.stage`), stage jobs `ref` and `stage`, stage parts the stage job as `job`. Everything is
 * optional: bindings are best-effort and never fail a log call.
 */
const Identifiable = z.object({
  kind: z.string().max(50).optional().catch(undefined),
  ref: RefFields.optional().catch(undefined),
  stage: z.string().max(50).optional().catch(undefined),
  event: z
    .object({ type: z.string().max(50), stage: z.string().max(50).optional() })
    .optional()
    .catch(undefined),
  job: z
    .object({ ref: RefFields, stage: z.string().max(50) })
    .optional()
    .catch(undefined),
});

/**
 * Log bindings of a BullMQ job: queue, job id, attempt, the run (`owner/repo#issue`), the stage and
 * the webhook delivery id when the job came from one. Never the job's data itself (it may hold
 * issue and comment bodies).
 */
export function jobLogBindings(queue: string, job: Job | undefined): Record<string, string | number> {
  const bindings: Record<string, string | number> = { queue };
  if (job === undefined) return bindings;
  if (job.id !== undefined) bindings.jobId = job.id;
  bindings.attempt = job.attemptsMade + 1;
  if (job.id?.startsWith('delivery-')) bindings.deliveryId = job.id.slice('delivery-'.length);
  const parsed = Identifiable.safeParse(job.data);
  if (!parsed.success) return bindings;
  const data = parsed.data;
  const ref = data.ref ?? data.job?.ref;
  if (ref !== undefined) bindings.run = runLogId(ref);
  const stage = data.stage ?? data.event?.stage ?? data.job?.stage;
  if (stage !== undefined) bindings.stage = stage;
  const kind = data.event?.type ?? data.kind;
  if (kind !== undefined) bindings.kind = kind;
  return bindings;
}
