/** One message of a model conversation, in the provider-neutral shape the agent runtime uses. */
export interface ModelMessage {
  role: 'user' | 'assistant';
  content: unknown[];
}

/** Token use of one model call. */
export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** A model reply: content blocks, why it stopped, and what it used. */
export interface ModelReply {
  content: unknown[];
  stopReason: string;
  usage: ModelUsage;
  model: string;
}

/**
 * The language model (Anthropic's Messages API in production). The agent runtime drives the tool
 * loop on top of it; the port only sends one request with the full history and returns the reply.
 */
export interface ModelPort {
  /** Sends one Messages request. Retries transient failures (429/529/5xx) itself. */
  createMessage(params: {
    model: string;
    system: string;
    messages: ModelMessage[];
    tools: unknown[];
    maxTokens: number;
    signal?: AbortSignal;
  }): Promise<ModelReply>;
}
