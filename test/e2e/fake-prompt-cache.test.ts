import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeAnthropic, startFakeAnthropic } from '../fakes/fake-anthropic-server.js';

const SONNET = 'claude-sonnet-5-5';
const HAIKU = 'claude-haiku-5-5';
const EPHEMERAL = { type: 'ephemeral' } as const;
const ONE_HOUR = { type: 'ephemeral', ttl: '1h' } as const;
const MINUTE = 60_000;

type Block = Anthropic.TextBlockParam;

/** A text block of exactly `tokens` tokens as the fake counts them (its JSON is 25 characters plus the text). */
function text(tokens: number, letter: string, cached: boolean | '1h' = false): Block {
  const block: Block = { type: 'text', text: letter.repeat(tokens * 4 - 25) };
  if (cached === false) return block;
  return { ...block, cache_control: cached === '1h' ? ONE_HOUR : EPHEMERAL };
}

function user(...content: Block[]): Anthropic.MessageParam {
  return { role: 'user', content };
}

function assistant(...content: Block[]): Anthropic.MessageParam {
  return { role: 'assistant', content };
}

describe('the fake Messages API’s prompt cache, request sequences pinned to the documented usage', () => {
  let fake: FakeAnthropic;
  let clock = 0;

  async function start(): Promise<Anthropic> {
    clock = Date.parse('2026-01-01T00:00:00Z');
    fake = await startFakeAnthropic({ cache: { now: () => clock } });
    return new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 });
  }

  async function usage(
    client: Anthropic,
    system: Block[],
    messages: Anthropic.MessageParam[],
    model = SONNET,
  ): Promise<
    Pick<Anthropic.Usage, 'input_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens'>
  > {
    const { cache_creation: _split, ...figures } = await fullUsage(client, system, messages, model);
    return figures;
  }

  /** The usage of one request, with `cache_creation` (the writes split by TTL). */
  async function fullUsage(
    client: Anthropic,
    system: Block[],
    messages: Anthropic.MessageParam[],
    model = SONNET,
  ): Promise<
    Pick<
      Anthropic.Usage,
      'input_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens' | 'cache_creation'
    >
  > {
    fake.script({
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 1 },
    });
    const reply = await client.messages.create({ model, max_tokens: 100, system, messages });
    const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, cache_creation } =
      reply.usage;
    return { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, cache_creation };
  }

  afterEach(async () => {
    try {
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  it('writes the prefix up to a breakpoint once, then reads it; what follows the last breakpoint is plain input', async () => {
    const client = await start();
    const system = [text(3_000, 's', true)];

    const first = await usage(client, system, [user(text(100, 'q'))]);
    const second = await usage(client, system, [user(text(150, 'r'))]);

    expect(first).toEqual({
      input_tokens: 100,
      cache_creation_input_tokens: 3_000,
      cache_read_input_tokens: 0,
    });
    expect(second).toEqual({
      input_tokens: 150,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 3_000,
    });
  });

  it('a rolling breakpoint on the newest block reads the previous turn’s entry and writes only the new turn', async () => {
    const client = await start();
    const system = [text(3_000, 's', true)];
    const turn1 = [user(text(500, 'a', true))];
    const turn2 = [user(text(500, 'a')), assistant(text(200, 'b')), user(text(300, 'c', true))];

    const first = await usage(client, system, turn1);
    const second = await usage(client, system, turn2);

    expect(first).toEqual({
      input_tokens: 0,
      cache_creation_input_tokens: 3_500,
      cache_read_input_tokens: 0,
    });
    expect(second).toEqual({
      input_tokens: 0,
      cache_creation_input_tokens: 500,
      cache_read_input_tokens: 3_500,
    });
  });

  it('a change anywhere in the prefix misses everything after it', async () => {
    const client = await start();

    await usage(client, [text(3_000, 's', true)], [user(text(100, 'q'))]);
    const changed = await usage(client, [text(3_000, 't', true)], [user(text(100, 'q'))]);

    expect(changed).toEqual({
      input_tokens: 100,
      cache_creation_input_tokens: 3_000,
      cache_read_input_tokens: 0,
    });
  });

  it('finds an earlier entry only within 20 blocks before a breakpoint', async () => {
    const client = await start();
    const system = [text(3_000, 's', true)];
    const filler = (count: number) =>
      Array.from({ length: count }, (_, index) => text(10, String.fromCharCode(97 + (index % 26))));
    const history = (count: number, last: Block) => [user(text(100, 'q'), ...filler(count), last)];

    await usage(client, system, [user(text(100, 'q', true))]);
    const near = await usage(client, system, history(19, text(10, 'z', true)));
    const client2 = await start();
    await usage(client2, system, [user(text(100, 'q', true))]);
    const far = await usage(client2, system, history(20, text(10, 'z', true)));

    expect(near).toEqual({
      input_tokens: 0,
      cache_creation_input_tokens: 200,
      cache_read_input_tokens: 3_100,
    });
    expect(far).toEqual({
      input_tokens: 0,
      cache_creation_input_tokens: 310,
      cache_read_input_tokens: 3_000,
    });
  });

  it('caches nothing below the model’s minimum (Sonnet 1024, Haiku 4096 tokens)', async () => {
    const client = await start();

    await usage(client, [text(1_000, 's', true)], [user(text(100, 'q'))]);
    const sonnetShort = await usage(client, [text(1_000, 's', true)], [user(text(100, 'q'))]);
    const haiku = await usage(client, [text(3_000, 's', true)], [user(text(100, 'q'))], HAIKU);
    const sonnet = await usage(client, [text(3_000, 's', true)], [user(text(100, 'q'))]);

    expect(sonnetShort).toEqual({
      input_tokens: 1_100,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    expect(haiku).toEqual({
      input_tokens: 3_100,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    expect(sonnet).toEqual({
      input_tokens: 100,
      cache_creation_input_tokens: 3_000,
      cache_read_input_tokens: 0,
    });
  });

  it('keeps an entry five minutes from its last use, each hit refreshing it', async () => {
    const client = await start();
    const system = [text(3_000, 's', true)];
    const ask = [user(text(100, 'q'))];

    await usage(client, system, ask);
    clock += 4 * MINUTE;
    const refreshed = await usage(client, system, ask);
    clock += 4 * MINUTE;
    const stillThere = await usage(client, system, ask);
    clock += 5 * MINUTE + 1;
    const expired = await usage(client, system, ask);

    expect(refreshed.cache_read_input_tokens).toBe(3_000);
    expect(stillThere.cache_read_input_tokens).toBe(3_000);
    expect(expired).toEqual({
      input_tokens: 100,
      cache_creation_input_tokens: 3_000,
      cache_read_input_tokens: 0,
    });
  });

  it('keeps a 1h entry an hour from its last use: a 30-minute gate reads it, a 5m entry after it is gone', async () => {
    const client = await start();
    const system = [text(2_000, 's', '1h'), text(1_000, 'p', true)];
    const ask = [user(text(100, 'q'))];

    const first = await fullUsage(client, system, ask);
    clock += 30 * MINUTE;
    const afterGate = await fullUsage(client, system, ask);
    clock += 59 * MINUTE;
    const refreshed = await fullUsage(client, system, ask);
    clock += 60 * MINUTE + 1;
    const expired = await fullUsage(client, system, ask);

    expect(first).toEqual({
      input_tokens: 100,
      cache_creation_input_tokens: 3_000,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_1h_input_tokens: 2_000, ephemeral_5m_input_tokens: 1_000 },
    });
    expect(afterGate).toEqual({
      input_tokens: 100,
      cache_creation_input_tokens: 1_000,
      cache_read_input_tokens: 2_000,
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 1_000 },
    });
    expect(refreshed.cache_read_input_tokens).toBe(2_000);
    expect(expired).toEqual(first);
  });

  it('bills mixed TTLs as documented: 1h writes up to the last 1h breakpoint past the hit, 5m writes after it', async () => {
    const client = await start();
    const shared = text(2_000, 's', '1h');
    const turn1 = [user(text(500, 'a', true))];
    const turn2 = [user(text(500, 'a')), assistant(text(200, 'b')), user(text(300, 'c', true))];

    await fullUsage(client, [shared], turn1);
    const second = await fullUsage(client, [shared], turn2);
    const otherAgent = await fullUsage(
      client,
      [shared, text(1_500, 'o', '1h')],
      [user(text(100, 'q', true))],
    );

    expect(second).toEqual({
      input_tokens: 0,
      cache_creation_input_tokens: 500,
      cache_read_input_tokens: 2_500,
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 500 },
    });
    expect(otherAgent).toEqual({
      input_tokens: 0,
      cache_creation_input_tokens: 1_600,
      cache_read_input_tokens: 2_000,
      cache_creation: { ephemeral_1h_input_tokens: 1_500, ephemeral_5m_input_tokens: 100 },
    });
  });

  it('answers 400 to a 1h breakpoint after a 5m one, and to a TTL the API does not know', async () => {
    const client = await start();
    fake.script(
      { content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' },
      { content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' },
    );
    const create = (system: Block[]) =>
      client.messages
        .create({ model: SONNET, max_tokens: 100, system, messages: [user(text(10, 'q'))] })
        .catch((thrown: unknown) => thrown);
    const day = { ...text(3_000, 's'), cache_control: { type: 'ephemeral', ttl: '24h' } } as unknown as Block;

    const misordered = await create([text(1_000, 'p', true), text(2_000, 's', '1h')]);
    const unknown = await create([day]);

    expect(misordered).toMatchObject({
      status: 400,
      message: expect.stringContaining("a ttl='1h' cache_control block must not come after a ttl='5m'"),
    });
    expect(unknown).toMatchObject({ status: 400, message: expect.stringContaining("'5m' or '1h'") });
  });

  it('a top-level cache_control marks the last block', async () => {
    const client = await start();
    const body = {
      model: SONNET,
      max_tokens: 100,
      cache_control: EPHEMERAL,
      system: [text(3_000, 's')],
      messages: [user(text(100, 'q'))],
    };
    fake.script(
      { content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' },
      { content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' },
    );

    const first = await client.messages.create(body);
    const second = await client.messages.create(body);

    expect(first.usage).toMatchObject({ input_tokens: 0, cache_creation_input_tokens: 3_100 });
    expect(second.usage).toMatchObject({ input_tokens: 0, cache_read_input_tokens: 3_100 });
  });

  it('answers 400 to a fifth breakpoint', async () => {
    const client = await start();
    fake.script({ content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' });

    const error = await client.messages
      .create({
        model: SONNET,
        max_tokens: 100,
        system: [1, 2, 3, 4, 5].map((n) => text(10, String(n), true)),
        messages: [user(text(10, 'q'))],
      })
      .catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({ status: 400, message: expect.stringContaining('maximum of 4 blocks') });
  });
});

describe('the fake Messages API’s context window', () => {
  it('answers 400 prompt is too long above the window, as the API does', async () => {
    const fake = await startFakeAnthropic({ contextWindow: 1_000 });
    try {
      const client = new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 });
      const error = await client.messages
        .create({ model: SONNET, max_tokens: 10, messages: [user(text(1_001, 'q'))] })
        .catch((thrown: unknown) => thrown);

      expect(error).toMatchObject({
        status: 400,
        error: {
          error: { type: 'invalid_request_error', message: 'prompt is too long: 1001 tokens > 1000 maximum' },
        },
      });
    } finally {
      await fake.close();
    }
  });
});
