/**
 * Where a stage handed over on shutdown leaves its agent's conversation and file changes, so the
 * worker that takes the job over resumes it instead of paying for the same turns again.
 */
export interface StageCheckpoints {
  /** The checkpoint of `agent` in stage job `jobId`, as saved (unparsed), or `null`. */
  load(jobId: string, agent: string): Promise<unknown>;
  save(jobId: string, agent: string, checkpoint: unknown): Promise<void>;
}
