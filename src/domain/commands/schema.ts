import { z } from 'zod';
import { TableName } from '../intake/schema.js';
import { Phase } from '../pipeline/phase.js';

/** Every command name the bot understands (README, Commands), without the leading `/`. */
export const COMMAND_NAMES = [
  'approve',
  'revise',
  'retry',
  'restart',
  'skip-auth',
  'add-tables',
  'cancel',
  'status',
  'help',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** A parsed, argument-validated command. */
export const Command = z.discriminatedUnion('type', [
  /** Start the next phase, the plan, or the next batch. */
  z.object({ type: z.literal('approve') }),
  /** Re-run the current phase (or re-plan) with this feedback. */
  z.object({ type: z.literal('revise'), feedback: z.string().min(1).max(10_000) }),
  /** Re-run a failed phase. */
  z.object({ type: z.literal('retry') }),
  /** Resume from this phase, keeping earlier output. */
  z.object({ type: z.literal('restart'), phase: Phase }),
  /** Go on without live credentials: simulate mode only. */
  z.object({ type: z.literal('skip-auth') }),
  /** After completion: a new batch for these tables. */
  z.object({ type: z.literal('add-tables'), tables: z.array(TableName).min(1).max(50) }),
  /** Stop the run; nothing further is spent. */
  z.object({ type: z.literal('cancel') }),
  /** Reply with the run's state. */
  z.object({ type: z.literal('status') }),
  /** Reply with the commands. */
  z.object({ type: z.literal('help') }),
]);
export type Command = z.infer<typeof Command>;

/** Result of reading a comment for a command. */
export type ParseCommandResult =
  /** The comment holds no command line: the bot stays silent. */
  | { kind: 'none' }
  /** A well-formed command; `prefixed` when written as `/lakeflow <command>`. */
  | { kind: 'command'; command: Command; prefixed: boolean }
  /**
   * A `/word` (or `/lakeflow word`) line the bot cannot act on; `message` says why and what would
   * work, in the form the author used.
   */
  | { kind: 'invalid'; name: string; message: string; prefixed: boolean };
