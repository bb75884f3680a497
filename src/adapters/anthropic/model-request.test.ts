import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../errors.js';
import type { ModelMessage, ModelTool, SystemPart } from '../../ports/model.js';
import { buildMessageRequest, type ModelRequest } from './model-request.js';

const TOOLS: ModelTool[] = [
  { name: 'read_file', description: 'Reads a file.', inputSchema: { properties: {} } },
  { name: 'submit', description: 'Submits the report.', inputSchema: { properties: {} } },
];

/** The system prompt a stage agent sends: the run's shared context, then its own prompt. */
const STAGE_SYSTEM: SystemPart[] = [
  { text: '# Connector `acme` (paths, repository facts)', cache: '1h' },
  { text: 'You are the implementation phase.', cache: '5m' },
];

function request(overrides: Partial<ModelRequest>): ModelRequest {
  return {
    model: 'claude-sonnet-5-5',
    system: STAGE_SYSTEM,
    messages: [],
    tools: TOOLS,
    maxTokens: 100,
    ...overrides,
  };
}

function text(value: string): ModelMessage['content'][number] {
  return { type: 'text', text: value };
}

/** A conversation of `count` messages: the first user message's two parts, then turns. */
function conversation(count: number): ModelMessage[] {
  const messages: ModelMessage[] = [
    { role: 'user', content: [text('links and notes'), text('# Phase: implement')] },
  ];
  for (let index = 1; index < count; index += 1) {
    messages.push(
      index % 2 === 1
        ? {
            role: 'assistant',
            content: [{ type: 'tool_use', id: `t${index}`, name: 'read_file', input: {} }],
          }
        : { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${index - 1}`, content: 'file' }] },
    );
  }
  return messages;
}

/** Every `cache_control` of a body in the order the API caches (tools, system, messages), with where it is. */
function breakpoints(body: ReturnType<typeof buildMessageRequest>): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = [];
  for (const [index, tool] of (body.tools ?? []).entries()) {
    if ('cache_control' in tool && tool.cache_control) found.push([`tools[${index}]`, tool.cache_control]);
  }
  for (const [index, part] of (Array.isArray(body.system) ? body.system : []).entries()) {
    if (part.cache_control) found.push([`system[${index}]`, part.cache_control]);
  }
  for (const [index, message] of body.messages.entries()) {
    for (const [block, content] of (Array.isArray(message.content) ? message.content : []).entries()) {
      if ('cache_control' in content && content.cache_control) {
        found.push([`messages[${index}][${block}]`, content.cache_control]);
      }
    }
  }
  return found;
}

const ONE_HOUR = { type: 'ephemeral', ttl: '1h' };
const FIVE_MINUTES = { type: 'ephemeral' };

describe('buildMessageRequest: cache breakpoints', () => {
  it('caches the shared context for an hour, the agent prompt and the first message for five minutes', () => {
    const body = buildMessageRequest(request({ messages: conversation(1) }));

    expect(breakpoints(body)).toEqual([
      ['system[0]', ONE_HOUR],
      ['system[1]', FIVE_MINUTES],
      ['messages[0][0]', FIVE_MINUTES],
      ['messages[0][1]', FIVE_MINUTES],
    ]);
  });

  it('rolls two five-minute breakpoints along the conversation, after the one-hour one', () => {
    const body = buildMessageRequest(request({ messages: conversation(5) }));

    expect(breakpoints(body)).toEqual([
      ['system[0]', ONE_HOUR],
      ['system[1]', FIVE_MINUTES],
      ['messages[2][0]', FIVE_MINUTES],
      ['messages[4][0]', FIVE_MINUTES],
    ]);
  });

  it('marks the last tool only when no system part is cached', () => {
    const uncached = buildMessageRequest(
      request({ system: [{ text: 'prompt', cache: false }], messages: conversation(3) }),
    );

    expect(breakpoints(uncached)).toEqual([
      ['tools[1]', FIVE_MINUTES],
      ['messages[0][1]', FIVE_MINUTES],
      ['messages[2][0]', FIVE_MINUTES],
    ]);
  });

  it('never puts a one-hour breakpoint after a five-minute one, at any length of conversation', () => {
    for (let count = 1; count <= 9; count += 2) {
      const ttls = breakpoints(buildMessageRequest(request({ messages: conversation(count) }))).map(
        ([, control]) => (control as { ttl?: string }).ttl ?? '5m',
      );

      expect(ttls.length).toBeLessThanOrEqual(4);
      expect(ttls.indexOf('5m')).toBeGreaterThan(ttls.lastIndexOf('1h'));
    }
  });

  it('refuses a system part cached for 1h after one cached for 5m, and a fifth breakpoint', () => {
    const misordered: SystemPart[] = [
      { text: 'prompt', cache: '5m' },
      { text: 'shared', cache: '1h' },
    ];
    const five = Array.from(
      { length: 5 },
      (_, index): SystemPart => ({ text: `part ${index}`, cache: '1h' }),
    );

    expect(() => buildMessageRequest(request({ system: misordered, messages: conversation(1) }))).toThrow(
      InvariantError,
    );
    expect(() => buildMessageRequest(request({ system: five, messages: conversation(1) }))).toThrow(
      /5 cached system parts/,
    );
  });
});
