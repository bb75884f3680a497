import { z } from 'zod';
import { Usage } from '../domain/pipeline/run.js';
import type { ModelMessage } from '../ports/model.js';

/** Where an agent's tool loop stood between two turns: enough to go on from there. */
export const AgentLoopState = z.object({
  /** The whole conversation so far, as sent to the model (blocks checked by the API, not here). */
  messages: z
    .array(
      z.object({
        role: z.enum(['user', 'assistant']),
        content: z.array(z.looseObject({ type: z.string() })),
      }),
    )
    .min(1),
  usage: Usage,
  turns: z.number().int().nonnegative(),
  submitAttempts: z.number().int().nonnegative(),
  nudges: z.number().int().nonnegative(),
});
export type AgentLoopState = Omit<z.infer<typeof AgentLoopState>, 'messages'> & { messages: ModelMessage[] };

/** A handed-over agent: its loop state and its workspace's changes over the branch at `baseSha`. */
export const AgentCheckpoint = z.object({
  agent: z.string(),
  baseSha: z.string(),
  changes: z.array(z.object({ path: z.string(), content: z.string().nullable() })),
  loop: AgentLoopState,
});
export type AgentCheckpoint = Omit<z.infer<typeof AgentCheckpoint>, 'loop'> & { loop: AgentLoopState };

/** The checkpoint as saved, or `null` when it is missing, malformed, or of another agent. */
export function parseAgentCheckpoint(value: unknown, agent: string): AgentCheckpoint | null {
  const parsed = AgentCheckpoint.safeParse(value);
  if (!parsed.success || parsed.data.agent !== agent) return null;
  return parsed.data as AgentCheckpoint;
}
