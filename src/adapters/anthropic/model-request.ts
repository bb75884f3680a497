import type Anthropic from '@anthropic-ai/sdk';
import { assertNever } from '../../domain/assert-never.js';
import { InvariantError } from '../../errors.js';
import type {
  ModelBlock,
  ModelMessage,
  ModelPort,
  ModelTool,
  ServerTools,
  SystemPart,
} from '../../ports/model.js';

/** What `ModelPort.createMessage` takes, less the abort signal (that is a request option, not body). */
export type ModelRequest = Omit<Parameters<ModelPort['createMessage']>[0], 'signal'>;

const FIVE_MINUTES: Anthropic.CacheControlEphemeral = { type: 'ephemeral' };
const ONE_HOUR: Anthropic.CacheControlEphemeral = { type: 'ephemeral', ttl: '1h' };

/** The Messages API rejects a request with more than four `cache_control` breakpoints. */
const MAX_CACHE_BREAKPOINTS = 4;

/**
 * Builds the body of a non-streaming `POST /v1/messages` from the port's request:
 * - `system` → text blocks, `cache_control` on each part marked `cache`, with its TTL (`1h` as
 *   `ttl: "1h"`, `5m` as the bare default);
 * - server tools first (GA `web_search_20250305` / `web_fetch_20250910`, no beta header; web fetch
 *   only with its `allowed_domains`, never open to any host), then the custom tools; the last
 *   custom tool carries a 5-minute `cache_control` only when no system part is cached (tools are the
 *   start of the prefix, so a cached system part's entry already covers them);
 * - `messages` → content blocks, `server` blocks sent back exactly as the API returned them; the
 *   conversation carries 5-minute rolling breakpoints within the four the API allows (see
 *   `conversationBreakpoints`), after every longer-lived one as the API requires.
 * Throws `InvariantError` when the system parts alone need more than four breakpoints, or put a
 * `1h` part after a `5m` one.
 */
export function buildMessageRequest(request: ModelRequest): Anthropic.MessageCreateParamsNonStreaming {
  const cached = request.system.flatMap((part) => (part.cache === false ? [] : [part.cache]));
  const cacheTools = cached.length === 0 && request.tools.length > 0;
  const system = request.system.map(buildSystemBlock);
  const tools: Anthropic.ToolUnion[] = [
    ...buildServerTools(request.serverTools),
    ...request.tools.map((tool, index) => buildTool(tool, cacheTools && index === request.tools.length - 1)),
  ];
  const breakpoints = cached.length + (cacheTools ? 1 : 0);
  if (breakpoints > MAX_CACHE_BREAKPOINTS) {
    throw new InvariantError(
      `The model request has ${breakpoints} cached system parts; the Messages API allows ${MAX_CACHE_BREAKPOINTS} cache breakpoints.`,
    );
  }
  if (cached.some((ttl, index) => ttl === '1h' && cached.slice(0, index).includes('5m'))) {
    throw new InvariantError(
      'A system part cached for 1h follows one cached for 5m; the Messages API refuses that order.',
    );
  }
  const rolling = conversationBreakpoints(request.messages, MAX_CACHE_BREAKPOINTS - breakpoints);
  return {
    model: request.model,
    max_tokens: request.maxTokens,
    messages: request.messages.map((message, index) => buildMessage(message, rolling.get(index))),
    ...(system.length > 0 ? { system } : {}),
    ...(tools.length > 0 ? { tools } : {}),
  };
}

function buildSystemBlock(part: SystemPart): Anthropic.TextBlockParam {
  if (part.cache === false) return { type: 'text', text: part.text };
  return { type: 'text', text: part.text, cache_control: part.cache === '1h' ? ONE_HOUR : FIVE_MINUTES };
}

/** A custom tool. The API only takes object schemas, so `type` is always `object`. */
function buildTool(tool: ModelTool, breakpoint: boolean): Anthropic.Tool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: { ...tool.inputSchema, type: 'object' },
    ...(breakpoint ? { cache_control: FIVE_MINUTES } : {}),
  };
}

function buildServerTools(serverTools: ServerTools | undefined): Anthropic.ToolUnion[] {
  const tools: Anthropic.ToolUnion[] = [];
  if (serverTools?.webSearch) {
    tools.push({ type: 'web_search_20250305', name: 'web_search', max_uses: serverTools.webSearch.maxUses });
  }
  if (serverTools?.webFetch && serverTools.webFetch.allowedDomains.length > 0) {
    tools.push({
      type: 'web_fetch_20250910',
      name: 'web_fetch',
      max_uses: serverTools.webFetch.maxUses,
      allowed_domains: [...serverTools.webFetch.allowedDomains],
    });
  }
  return tools;
}

/**
 * Where the conversation's breakpoints go, as message index → block indices, using at most `room`:
 * first the last cacheable block of the last message (everything sent so far is written to the
 * cache, so the next turn reads it), then the last cacheable block of the message that ended the
 * previous request (two messages back), so the entry the previous turn wrote is found even when
 * this turn added more blocks than the API's lookback covers; on the first request, which has no
 * previous one, the end of the first message's first part instead when it has several (the
 * request's links and notes, the same for every stage of the run, so a retry of the same agent
 * reads them). `server` blocks (thinking, server-tool results) are never marked. All are 5-minute
 * breakpoints: a conversation is never sent again after its stage.
 */
export function conversationBreakpoints(
  messages: readonly ModelMessage[],
  room: number,
): Map<number, Set<number>> {
  const marks = new Map<number, Set<number>>();
  let used = 0;
  const mark = (index: number, block: number) => {
    if (used >= room || index < 0 || block < 0) return;
    const blocks = marks.get(index) ?? new Set<number>();
    if (blocks.has(block)) return;
    marks.set(index, blocks.add(block));
    used += 1;
  };
  const lastCacheable = (index: number) =>
    (messages[index]?.content ?? []).findLastIndex((candidate) => candidate.type !== 'server');
  mark(messages.length - 1, lastCacheable(messages.length - 1));
  if (messages.length >= 3) mark(messages.length - 3, lastCacheable(messages.length - 3));
  else if ((messages[0]?.content.length ?? 0) > 1 && messages[0]?.content[0]?.type === 'text') mark(0, 0);
  return marks;
}

function buildMessage(message: ModelMessage, breakpoints: Set<number> | undefined): Anthropic.MessageParam {
  return {
    role: message.role,
    content: message.content.map((block, index) =>
      breakpoints?.has(index) ? withBreakpoint(buildBlock(block)) : buildBlock(block),
    ),
  };
}

function withBreakpoint(block: Anthropic.ContentBlockParam): Anthropic.ContentBlockParam {
  return { ...block, cache_control: FIVE_MINUTES } as Anthropic.ContentBlockParam;
}

function buildBlock(block: ModelBlock): Anthropic.ContentBlockParam {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: block.tool_use_id,
        content: block.content,
        ...(block.is_error === undefined ? {} : { is_error: block.is_error }),
      };
    case 'server':
      // Received from the API and returned untouched: the API checks it, not us.
      return block.raw as unknown as Anthropic.ContentBlockParam;
    default:
      return assertNever(block);
  }
}
