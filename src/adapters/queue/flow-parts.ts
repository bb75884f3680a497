import type { Job } from 'bullmq';
import { NO_USAGE } from '../../domain/pipeline/run.js';
import { StagePartResult } from '../../domain/pipeline/stage-parts.js';

/** The part's agent, from a child's key `<prefix>:<queue>:<parent job id>-<agent>`. */
function agentOf(childKey: string, parentId: string): string {
  const id = childKey.slice(childKey.lastIndexOf(':') + 1);
  return id.startsWith(`${parentId}-`) ? id.slice(parentId.length + 1) : id;
}

/**
 * The results of a flow parent's parts: each child's return value, parsed (Redis may hold what an
 * older deploy wrote), and a `failed` result for each child that failed for good (its failure is
 * ignored by the flow so the parent still runs and can tell the run why).
 */
export async function collectPartResults(job: Job): Promise<StagePartResult[]> {
  const parentId = job.id ?? '';
  const results: StagePartResult[] = [];
  for (const [key, value] of Object.entries(await job.getChildrenValues())) {
    const parsed = StagePartResult.safeParse(value);
    const agent = agentOf(key, parentId);
    results.push(
      parsed.success
        ? parsed.data
        : {
            outcome: 'failed',
            agent,
            reason: `${agent} returned a result this version cannot read.`,
            usage: NO_USAGE,
          },
    );
  }
  for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) {
    const agent = agentOf(key, parentId);
    results.push({
      outcome: 'failed',
      agent,
      reason: `The ${agent} job stopped on an infrastructure error and was not retried again: ${String(reason).slice(0, 1_000)}`,
      usage: NO_USAGE,
    });
  }
  return results;
}
