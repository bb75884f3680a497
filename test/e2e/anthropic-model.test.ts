import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../../src/adapters/anthropic/anthropic-model.js';
import { ConfigError, ExternalServiceError, InvariantError } from '../../src/errors.js';
import type { ModelMessage, ModelPort } from '../../src/ports/model.js';
import { type FakeAnthropic, startFakeAnthropic } from '../fakes/fake-anthropic-server.js';

const model = 'claude-sonnet-5-5';
const EPHEMERAL = { type: 'ephemeral' };
const apiKey = 'sk-ant-test-key';
const ask: ModelMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'Research the Acme API.' }] }];
const readFileTool = {
  name: 'read_file',
  description: 'Reads a file of the branch.',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};
const searchUse = {
  type: 'server_tool_use',
  id: 'srvtoolu_1',
  name: 'web_search',
  input: { query: 'acme api docs' },
};
const searchResult = {
  type: 'web_search_tool_result',
  tool_use_id: 'srvtoolu_1',
  content: [
    {
      type: 'web_search_result',
      url: 'https://acme.test/docs',
      title: 'Docs',
      encrypted_content: 'e1',
      page_age: null,
    },
  ],
};

describe('createAnthropicModel', () => {
  let fake: FakeAnthropic;
  let port: ModelPort;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    port = createAnthropicModel({ apiKey, baseURL: fake.url, maxRetries: 2 });
  });

  afterEach(async () => {
    try {
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  function call(messages: ModelMessage[] = ask, signal?: AbortSignal) {
    return port.createMessage({ model, system: [], messages, tools: [], maxTokens: 1024, signal });
  }

  it('maps a text reply with its usage, cache figures included', async () => {
    fake.script({
      content: [{ type: 'text', text: 'Acme has a REST API.', citations: null }],
      stop_reason: 'end_turn',
      usage: {
        input_tokens: 120,
        output_tokens: 30,
        cache_creation_input_tokens: 900,
        cache_read_input_tokens: 4000,
      },
    });

    const reply = await call();

    expect(reply).toEqual({
      model,
      content: [{ type: 'text', text: 'Acme has a REST API.' }],
      stopReason: 'end_turn',
      usage: {
        inputTokens: 120,
        outputTokens: 30,
        cacheWriteTokens: 900,
        cacheWrite1hTokens: 0,
        cacheReadTokens: 4000,
        webSearchRequests: 0,
        webFetchRequests: 0,
      },
    });
    expect(fake.requests[0]?.body).toMatchObject({ model, max_tokens: 1024, messages: ask });
  });

  it('reads null cache figures as 0 and an unknown stop reason as other', async () => {
    fake.script({
      content: [{ type: 'text', text: 'Too long.' }],
      stop_reason: 'model_context_window_exceeded',
      usage: { cache_creation_input_tokens: null, cache_read_input_tokens: null },
    });

    const reply = await call();

    expect(reply.stopReason).toBe('other');
    expect(reply.usage).toMatchObject({ cacheReadTokens: 0, cacheWriteTokens: 0 });
  });

  it('reads the 1-hour part of the cache writes from usage.cache_creation', async () => {
    fake.script({
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      usage: {
        cache_creation_input_tokens: 2_500,
        cache_creation: { ephemeral_1h_input_tokens: 2_000, ephemeral_5m_input_tokens: 500 },
      },
    });

    const reply = await call();

    expect(reply.usage).toMatchObject({ cacheWriteTokens: 2_500, cacheWrite1hTokens: 2_000 });
  });

  it('maps a tool_use reply', async () => {
    fake.script({
      content: [
        { type: 'text', text: 'Reading it.' },
        { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'README.md' } },
      ],
      stop_reason: 'tool_use',
    });

    const reply = await call();

    expect(reply.stopReason).toBe('tool_use');
    expect(reply.content).toEqual([
      { type: 'text', text: 'Reading it.' },
      { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'README.md' } },
    ]);
  });

  it('marks cached system parts with their TTL, and the last tool only when no system part is cached', async () => {
    fake.script(
      { content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' },
      { content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' },
    );
    const writeFileTool = { ...readFileTool, name: 'write_file', description: 'Writes a file.' };
    const tools = [readFileTool, writeFileTool];

    await port.createMessage({
      model,
      system: [
        { text: 'The repository.', cache: '1h' },
        { text: 'You are the research agent.', cache: '5m' },
        { text: 'Run 42, issue #7.', cache: false },
      ],
      messages: ask,
      tools,
      maxTokens: 2048,
    });
    await port.createMessage({
      model,
      system: [{ text: 'You are the research agent.', cache: false }],
      messages: ask,
      tools,
      maxTokens: 2048,
    });

    const [cached, uncached] = fake.requests.map((request) => request.body);
    expect(cached?.system).toEqual([
      { type: 'text', text: 'The repository.', cache_control: { type: 'ephemeral', ttl: '1h' } },
      { type: 'text', text: 'You are the research agent.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'Run 42, issue #7.' },
    ]);
    expect(cached?.tools).toEqual([
      { name: 'read_file', description: readFileTool.description, input_schema: readFileTool.inputSchema },
      { name: 'write_file', description: 'Writes a file.', input_schema: readFileTool.inputSchema },
    ]);
    expect(uncached?.tools).toEqual([
      { name: 'read_file', description: readFileTool.description, input_schema: readFileTool.inputSchema },
      {
        name: 'write_file',
        description: 'Writes a file.',
        input_schema: readFileTool.inputSchema,
        cache_control: { type: 'ephemeral' },
      },
    ]);
  });

  it('sends the server tools with max_uses, and counts their requests', async () => {
    fake.script({
      content: [searchUse, searchResult, { type: 'text', text: 'Found the docs.' }],
      stop_reason: 'end_turn',
      usage: { server_tool_use: { web_search_requests: 1, web_fetch_requests: 0 } },
    });

    const reply = await port.createMessage({
      model,
      system: [],
      messages: ask,
      tools: [readFileTool],
      serverTools: { webSearch: { maxUses: 5 }, webFetch: { maxUses: 3, allowedDomains: ['docs.acme.io'] } },
      maxTokens: 1024,
    });

    expect(fake.requests[0]?.body.tools).toEqual([
      { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
      { type: 'web_fetch_20250910', name: 'web_fetch', max_uses: 3, allowed_domains: ['docs.acme.io'] },
      expect.objectContaining({ name: 'read_file', cache_control: { type: 'ephemeral' } }),
    ]);
    expect(fake.requests[0]?.headers['anthropic-beta']).toBeUndefined();
    expect(reply.usage).toMatchObject({ webSearchRequests: 1, webFetchRequests: 0 });
    expect(reply.content).toEqual([
      { type: 'server', raw: searchUse },
      { type: 'server', raw: searchResult },
      { type: 'text', text: 'Found the docs.' },
    ]);
  });

  it('never sends web_fetch without allowed domains', async () => {
    fake.script({ content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' });

    await port.createMessage({
      model,
      system: [],
      messages: ask,
      tools: [readFileTool],
      serverTools: { webSearch: { maxUses: 5 }, webFetch: { maxUses: 3, allowedDomains: [] } },
      maxTokens: 1024,
    });

    const tools = (fake.requests[0]?.body.tools ?? []) as Array<{ name: string }>;
    expect(tools.map((tool) => tool.name)).toEqual(['web_search', 'read_file']);
  });

  it('sends server blocks back unchanged, and tool results after their tool_use', async () => {
    fake.script(
      {
        content: [searchUse, searchResult, { type: 'tool_use', id: 'toolu_9', name: 'read_file', input: {} }],
        stop_reason: 'tool_use',
      },
      (request) => ({
        content: [{ type: 'text', text: `saw ${JSON.stringify(request.body.messages).length} chars` }],
        stop_reason: 'end_turn',
      }),
    );
    const first = await call();

    await call([
      ...ask,
      { role: 'assistant', content: first.content },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'empty', is_error: true }],
      },
    ]);

    expect(fake.requests[1]?.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Research the Acme API.', cache_control: EPHEMERAL }] },
      {
        role: 'assistant',
        content: [searchUse, searchResult, { type: 'tool_use', id: 'toolu_9', name: 'read_file', input: {} }],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_9',
            content: 'empty',
            is_error: true,
            cache_control: EPHEMERAL,
          },
        ],
      },
    ]);
  });

  it('puts a rolling breakpoint on the newest block and on the previous request’s last block, within four', async () => {
    const reply = { content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' };
    fake.script(reply, reply);
    const turn = (id: string): ModelMessage[] => [
      { role: 'assistant', content: [{ type: 'tool_use', id, name: 'read_file', input: { path: id } }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'note' },
          { type: 'tool_result', tool_use_id: id, content: `text of ${id}` },
        ],
      },
    ];
    const messages = [...ask, ...turn('toolu_1'), ...turn('toolu_2')];
    const marked = (body: Record<string, unknown> | undefined) =>
      ((body?.messages ?? []) as Array<{ content: Array<Record<string, unknown>> }>).flatMap(
        (message, index) =>
          message.content.flatMap((block, at) => (block.cache_control ? [`${index}.${at}`] : [])),
      );

    await port.createMessage({
      model,
      system: [{ text: 'You are the dev agent.', cache: '5m' }],
      messages,
      tools: [readFileTool],
      maxTokens: 1024,
    });
    await port.createMessage({
      model,
      system: [
        { text: 'prompt', cache: '5m' },
        { text: 'reference', cache: '5m' },
        { text: 'more reference', cache: '5m' },
      ],
      messages,
      tools: [readFileTool],
      maxTokens: 1024,
    });

    expect(marked(fake.requests[0]?.body)).toEqual(['2.1', '4.1']);
    expect(marked(fake.requests[1]?.body)).toEqual(['4.1']);
  });

  it('on the first request, also marks the end of the first message’s shared part', async () => {
    fake.script({ content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' });

    await port.createMessage({
      model,
      system: [{ text: 'You are the dev agent.', cache: '5m' }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What every stage of the run shares.' },
            { type: 'text', text: '# Phase: implement (batch 1, attempt 1)' },
          ],
        },
      ],
      tools: [readFileTool],
      maxTokens: 1024,
    });

    expect(((fake.requests[0]?.body.messages ?? []) as Array<{ content: unknown }>)[0]?.content).toEqual([
      { type: 'text', text: 'What every stage of the run shares.', cache_control: EPHEMERAL },
      { type: 'text', text: '# Phase: implement (batch 1, attempt 1)', cache_control: EPHEMERAL },
    ]);
  });

  it('sends the key as authorization: Bearer with an anthropic-version', async () => {
    fake.script({ content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' });

    await call();

    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(fake.requests[0]?.headers['anthropic-version']).toEqual(expect.any(String));
    expect(fake.requests[0]?.headers['x-api-key']).toBeUndefined();
  });
});

describe('createAnthropicModel when the API fails', () => {
  let fake: FakeAnthropic;
  const ok = { content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' };

  beforeEach(async () => {
    fake = await startFakeAnthropic();
  });

  afterEach(async () => {
    try {
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  function call(params: { maxRetries?: number; signal?: AbortSignal } = {}) {
    const port = createAnthropicModel({ apiKey, baseURL: fake.url, maxRetries: params.maxRetries ?? 2 });
    return port.createMessage({
      model,
      system: [],
      messages: ask,
      tools: [],
      maxTokens: 64,
      signal: params.signal,
    });
  }

  it('retries a 429 after retry-after and returns the one reply', async () => {
    fake.script({ status: 429, headers: { 'retry-after': '0' } }, ok);

    const reply = await call();

    expect(reply.content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(fake.requests).toHaveLength(2);
    expect(fake.remaining()).toBe(0);
  });

  it('retries a 529 overloaded after retry-after-ms', async () => {
    fake.script({ status: 529, headers: { 'retry-after-ms': '1' } }, ok);

    const reply = await call();

    expect(reply.stopReason).toBe('end_turn');
    expect(fake.requests).toHaveLength(2);
  });

  it('throws a retryable ExternalServiceError once the retries are spent', async () => {
    const failure = { status: 500, headers: { 'retry-after-ms': '1' } };
    fake.script(failure, failure, failure, failure, failure);

    const error = await call({ maxRetries: 1 }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('500') });
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(fake.requests).toHaveLength(2);
    expect(fake.remaining()).toBe(3);
  });

  it('throws a ConfigError naming ANTHROPIC_API_KEY on a 401, without retrying', async () => {
    fake.script({ status: 401, message: 'invalid x-api-key' });

    const error = await call().catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ retryable: false, message: expect.stringContaining('ANTHROPIC_API_KEY') });
    expect(fake.requests).toHaveLength(1);
  });

  it('throws an InvariantError on a 400, without retrying', async () => {
    fake.script({ status: 400, message: 'messages: text content blocks must be non-empty' });

    const error = await call().catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(InvariantError);
    expect(error).toMatchObject({
      message: expect.stringContaining('text content blocks must be non-empty'),
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('throws an ExternalServiceError naming what a malformed reply lacks', async () => {
    fake.script({
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'read_file' }],
      stop_reason: 'tool_use',
    });

    const error = await call().catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error).toMatchObject({ message: expect.stringContaining('content[0].input') });
  });

  it('rejects with the abort reason when the signal fires mid-request', async () => {
    fake.script({ ...ok, delayMs: 10_000 });
    const controller = new AbortController();
    const reason = new Error('phase cancelled');
    const pending = call({ signal: controller.signal });
    await waitFor(() => fake.requests.length === 1);

    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects with the abort reason without sending when the signal already fired', async () => {
    const reason = new Error('shutting down');

    await expect(call({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fake.requests).toHaveLength(0);
  });
});

/** Polls `condition` every 5 ms, failing after `timeoutMs`. */
async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('startFakeAnthropic', () => {
  it('records an unscripted request and a tool_result that answers no tool_use', async () => {
    const fake = await startFakeAnthropic();
    try {
      const port = createAnthropicModel({ apiKey, baseURL: fake.url, maxRetries: 2 });
      const dangling: ModelMessage = {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_missing', content: 'x' }],
      };

      const error = await port
        .createMessage({ model, system: [], messages: [dangling], tools: [], maxTokens: 64 })
        .catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(ExternalServiceError);
      expect(fake.unexpected).toHaveLength(1);
      expect(fake.requests).toHaveLength(1);
      expect(fake.violations).toEqual([
        { path: '/v1/messages', problems: ['messages[0] tool_result toolu_missing answers no tool_use'] },
      ]);
      expect(() => fake.assertNoViolations()).toThrow(/unscripted request/);
    } finally {
      await fake.close();
    }
  });
});
