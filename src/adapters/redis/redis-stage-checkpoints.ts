import type { Redis } from 'ioredis';
import type { StageCheckpoints } from '../../ports/stage-checkpoints.js';

/** A checkpoint outlives any handover by far; after a day the stage starts over instead. */
const CHECKPOINT_TTL_SECONDS = 24 * 3600;

/** The key of one agent's checkpoint in a stage job. */
export function stageCheckpointKey(jobId: string, agent: string, prefix = 'lcb:'): string {
  return `${prefix}checkpoint:${jobId}:${agent}`;
}

/**
 * `StageCheckpoints` on Redis: one JSON string per job and agent, kept a day. A value that is not
 * JSON reads as none; the agent runtime validates the rest.
 */
export function createRedisStageCheckpoints(
  redis: Redis,
  options: { prefix?: string } = {},
): StageCheckpoints {
  return {
    async load(jobId, agent) {
      const text = await redis.get(stageCheckpointKey(jobId, agent, options.prefix));
      if (text === null) return null;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return null;
      }
    },
    async save(jobId, agent, checkpoint) {
      const key = stageCheckpointKey(jobId, agent, options.prefix);
      await redis.set(key, JSON.stringify(checkpoint), 'EX', CHECKPOINT_TTL_SECONDS);
    },
  };
}
