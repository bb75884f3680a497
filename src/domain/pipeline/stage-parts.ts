import { z } from 'zod';
import { StageJob } from './jobs.js';
import type { Stage } from './phase.js';
import { Usage } from './run.js';

/**
 * Stages whose agents work in parallel, each on its own files, and whose results are committed
 * once (docs/architecture.md, Phases): `docs_spec` runs the doc writer and the spec generator side by side. On
 * BullMQ the parts are the children of one flow whose parent verifies both and commits.
 */
export const STAGE_PARTS: Readonly<Partial<Record<Stage, readonly string[]>>> = Object.freeze({
  docs_spec: Object.freeze(['connector-doc-writer', 'connector-spec-generator']),
});

/** The agents of `stage` that run as parallel parts, or `null` when the stage runs as one job. */
export function partsOf(stage: Stage): readonly string[] | null {
  return STAGE_PARTS[stage] ?? null;
}

/** Data of a part job: the parent's stage job and the one agent this part runs. */
export const StagePartJob = z.object({
  job: StageJob,
  agent: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
});
export type StagePartJob = z.infer<typeof StagePartJob>;

/** `<stage job id>-<agent>`: deterministic, so re-adding the flow adds no second part. */
export function stagePartJobId(stageJobId: string, agent: string): string {
  return `${stageJobId}-${agent}`;
}

/** A file a part wrote (`content`) or deleted (`null`), replayed by the parent onto the branch head. */
export const FileChange = z.object({
  path: z.string().min(1).max(300),
  content: z.string().max(2_000_000).nullable(),
});
export type FileChange = z.infer<typeof FileChange>;

/**
 * What one part produced. Kept by BullMQ as the child's return value and read back by the parent,
 * so it is parsed there: Redis may hold what an older deploy wrote.
 */
export const StagePartResult = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('succeeded'),
    agent: z.string(),
    changes: z.array(FileChange),
    usage: Usage,
  }),
  z.object({ outcome: z.literal('failed'), agent: z.string(), reason: z.string(), usage: Usage }),
  z.object({
    outcome: z.literal('budget_exceeded'),
    agent: z.string(),
    budget: z.enum(['stage', 'run']),
    limitUsd: z.number(),
    limitTokens: z.number().optional(),
    usage: Usage,
  }),
  /** The run no longer wanted the stage when the part started (cancelled or superseded). */
  z.object({ outcome: z.literal('skipped'), agent: z.string() }),
]);
export type StagePartResult = z.infer<typeof StagePartResult>;

/**
 * The share of a stage budget each part gets: parts run at the same time, so each may spend only
 * its share and the stage as a whole stays within its budget.
 */
export function partJob(job: StageJob, parts: number): StageJob {
  const share = (value: number) => value / Math.max(1, parts);
  return {
    ...job,
    budgetUsd: share(job.budgetUsd),
    runBudgetLeftUsd: share(job.runBudgetLeftUsd),
    budgetTokens: Math.floor(share(job.budgetTokens)),
    runTokensLeft: Math.floor(share(job.runTokensLeft)),
  };
}
