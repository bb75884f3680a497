import { z } from 'zod';
import { Command } from '../domain/commands/schema.js';
import { CommentTarget, RunEvent } from '../domain/pipeline/events.js';
import { RunRef } from '../domain/pipeline/run.js';

/**
 * Data of an `events` queue job. Parsed on enqueue and again in the processor: Redis may hold what
 * an older deploy wrote.
 */
export const EventJob = z.discriminatedUnion('kind', [
  /** A connector issue was opened or edited: parse the body, plan or re-plan. */
  z.object({
    kind: z.literal('issue_request'),
    ref: RunRef,
    repoUrl: z.string().max(300),
    action: z.enum(['opened', 'edited']),
    body: z.string().max(1_000_000),
  }),
  /** An authorised command; the worker reads the branch head before applying it. */
  z.object({
    kind: z.literal('command'),
    ref: RunRef,
    id: z.string(),
    command: Command,
    actor: z.string().max(100),
    target: CommentTarget,
  }),
  /** Any other event for an existing run. */
  z.object({ kind: z.literal('run_event'), ref: RunRef, event: RunEvent }),
]);
export type EventJob = z.infer<typeof EventJob>;
