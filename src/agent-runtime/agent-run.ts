import type { z } from 'zod';
import type { PriceTable } from '../domain/accounting/pricing.js';
import type { Usage } from '../domain/pipeline/run.js';
import type { Clock } from '../ports/clock.js';
import type { CacheTtl, ModelPort, ServerTools } from '../ports/model.js';
import type { AgentLoopState } from './agent-checkpoint.js';
import type { AgentTool } from './agent-tools.js';

/** What one agent run needs: the model, its instructions, its tools and its limits. */
export interface AgentRunParams {
  model: ModelPort;
  modelId: string;
  /** The agent's name (for logs) and system prompt. */
  agent: { name: string; prompt: string; maxTurns: number };
  /** Reference material sent after the prompt in the cached system prefix. */
  reference: string[];
  /**
   * Bot-written context every agent of the run shares (never text from outside the bot): the
   * system prompt's first part, before the agent's prompt, cached for `cacheTtl`, so that the next
   * agent with the same model and tools reads it from the cache.
   */
  sharedContext?: { text: string; cacheTtl: CacheTtl };
  /**
   * The first user message: the phase context, with untrusted text already fenced; several parts
   * become several text blocks (what the run's stages share first, so the cached prefix reaches it).
   */
  context: string | readonly string[];
  tools: AgentTool[];
  serverTools?: ServerTools;
  /** The phase's report schema: the input of `submit`. */
  submitSchema: z.ZodType;
  limits: {
    maxOutputTokens: number;
    wallClockMs: number;
    maxSubmitAttempts: number;
    maxNudges: number;
    /** The model's context window in tokens (default 200,000): the history is trimmed to fit it. */
    contextWindowTokens?: number;
  };
  /** USD and tokens this stage may spend, and what the whole run still may. */
  budget: { stageUsd: number; runLeftUsd: number; stageTokens?: number; runTokensLeft?: number };
  /** Usage already spent by this stage (an earlier agent of the same stage). */
  spent?: Usage;
  prices: PriceTable;
  clock: Clock;
  /** Aborts the model call in flight; checked again after every turn's tools. */
  signal?: AbortSignal;
  /** Told what each turn cost as soon as its reply arrives (the worker's spend ledger). */
  onTurn?: (turn: number, usage: Usage) => Promise<void>;
  /**
   * Checked before every model call: true stops the loop with `StageHandedOverError`, whose
   * `checkpoint` is the loop's `AgentLoopState` (shutdown).
   */
  handOver?: () => boolean;
  /** Go on from a handed-over loop instead of starting from `context`. */
  resume?: AgentLoopState;
}

/** How an agent run ended. */
export type AgentRunResult =
  /** The model submitted a report that passed the phase's schema. */
  | { outcome: 'submitted'; report: unknown; usage: Usage; turns: number }
  /** A budget ran out between turns; nothing more was sent. */
  | {
      outcome: 'budget_exceeded';
      budget: 'stage' | 'run';
      limitUsd: number;
      /** Set when a token budget (not the USD one) ran out. */
      limitTokens?: number;
      usage: Usage;
      turns: number;
    }
  /** The model did not finish within its limits, or refused; `reason` is for a maintainer. */
  | { outcome: 'gave_up'; reason: string; usage: Usage; turns: number };
