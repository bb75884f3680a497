/** Limits of one agent run (defaults suit a phase of a connector). */
export interface AgentLimits {
  maxOutputTokens: number;
  wallClockMs: number;
  maxSubmitAttempts: number;
  maxNudges: number;
  webSearchMaxUses: number;
  webFetchMaxUses: number;
  /** The model's context window in tokens: long loops clear old tool output to stay inside it. */
  contextWindowTokens: number;
}

/** The limits an agent run gets unless its caller says otherwise. */
export const DEFAULT_AGENT_LIMITS: AgentLimits = Object.freeze({
  maxOutputTokens: 16_000,
  wallClockMs: 30 * 60_000,
  maxSubmitAttempts: 3,
  maxNudges: 2,
  webSearchMaxUses: 20,
  webFetchMaxUses: 40,
  contextWindowTokens: 200_000,
});
