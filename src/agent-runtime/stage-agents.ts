import { z } from 'zod';
import type { Stage } from '../domain/pipeline/phase.js';
import { STAGE_PARTS } from '../domain/pipeline/stage-parts.js';

/** The agents (files in `agents/`) that do each stage, in order (docs/architecture.md, Phases). */
export const STAGE_AGENTS: Readonly<Record<Stage, readonly string[]>> = {
  research: ['source-api-researcher'],
  auth: ['connector-auth-guide'],
  implement: ['connector-dev'],
  test: ['connector-tester'],
  docs_spec: STAGE_PARTS.docs_spec ?? [],
  package: ['connector-builder'],
};

/**
 * The report every agent submits. The run never trusts it for facts (those are read from the
 * committed files); it is kept for the log and the summary's prose.
 */
export const StageReport = z.object({
  summary: z.string().min(1).max(4_000).describe('What you did, in a few sentences.'),
  files: z.array(z.string().max(300)).max(200).describe('Every file you wrote or changed.'),
  tables: z.array(z.string().max(100)).max(200).optional().describe('Tables documented or implemented.'),
  deferred_tables: z
    .array(z.string().max(100))
    .max(200)
    .optional()
    .describe('Tables left for later batches.'),
  auth_method: z.string().max(200).optional(),
});
export type StageReport = z.infer<typeof StageReport>;
