import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAnthropicModel } from '../../src/adapters/anthropic/anthropic-model.js';
import type { AgentRunParams } from '../../src/agent-runtime/agent-run.js';
import { type AgentTool, createWorkspaceTools } from '../../src/agent-runtime/agent-tools.js';
import { runAgent } from '../../src/agent-runtime/run-agent.js';
import { StageReport } from '../../src/agent-runtime/stage-agents.js';
import { DEFAULT_PRICES } from '../../src/domain/accounting/pricing.js';
import type { Usage } from '../../src/domain/pipeline/run.js';
import { buildPathPolicy } from '../../src/domain/policy/path-policy.js';
import { PromptTooLongError } from '../../src/ports/model.js';
import { createWorkspace } from '../../src/workspace/workspace.js';
import { type FakeAnthropic, type FakeTurn, startFakeAnthropic } from '../fakes/fake-anthropic-server.js';
import { countPromptTokens } from '../fakes/fake-prompt-cache.js';
import { InMemoryGitHub } from '../fakes/in-memory-github.js';

const MODEL = 'claude-sonnet-5-5';
const IMPL = 'src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py';
const BRANCH = 'lakeflow-connector/acme_crm';
const BASE = 'base'.padEnd(40, '0');
const PROMPT = `You implement Lakeflow connectors. ${'Follow the repository conventions. '.repeat(300)}`;

let ids = 0;
function call(name: string, input: Record<string, unknown>, stop = 'tool_use'): FakeTurn {
  ids += 1;
  return {
    content: [{ type: 'tool_use', id: `toolu_${ids}`, name, input }],
    stop_reason: stop,
    usage: { output_tokens: 300 },
  };
}
const submit = () => call('submit', { summary: 'Done.', files: [IMPL] });

/** A tool returning a different 24,000-character log for each part, like pytest output or a long file. */
const readLog: AgentTool = {
  definition: {
    name: 'read_log',
    description: 'Reads one part of the test log.',
    inputSchema: { type: 'object', properties: { part: { type: 'number' } } },
  },
  input: z.object({ part: z.number().int() }),
  run: async (input) => {
    const { part } = input as { part: number };
    return Array.from(
      { length: 400 },
      (_, line) => `part ${part} line ${line}: FAILED test_x - assert 1 == 2`,
    )
      .join('\n')
      .padEnd(24_000, '.');
  },
};

/** The messages of a request body without their cache_control marks. */
function messagesOf(body: Record<string, unknown>): string[] {
  return (body.messages as Array<{ content: Array<Record<string, unknown>> }>).map((message) =>
    JSON.stringify({ ...message, content: message.content.map(({ cache_control, ...block }) => block) }),
  );
}

function isPrefix(before: string[], after: string[]): boolean {
  return before.every((message, index) => after[index] === message);
}

describe('long tool loops', () => {
  let fake: FakeAnthropic;

  afterEach(async () => {
    try {
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  function params(tools: AgentTool[], overrides: Partial<AgentRunParams> = {}): AgentRunParams {
    return {
      model: createAnthropicModel({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 }),
      modelId: MODEL,
      agent: { name: 'connector-tester', prompt: PROMPT, maxTurns: 250 },
      reference: [],
      context: 'Make the tests pass.',
      tools,
      submitSchema: StageReport,
      limits: {
        maxOutputTokens: 16_000,
        wallClockMs: 600_000,
        maxSubmitAttempts: 2,
        maxNudges: 2,
        contextWindowTokens: 200_000,
      },
      budget: { stageUsd: 1_000, runLeftUsd: 1_000 },
      prices: DEFAULT_PRICES,
      clock: { now: () => new Date() },
      ...overrides,
    };
  }

  it('a loop of 200 large tool results stays inside the window, trims in batches and keeps its cached prefix between trims', async () => {
    fake = await startFakeAnthropic({ cache: true, contextWindow: 200_000 });
    fake.script(...Array.from({ length: 200 }, (_, part) => call('read_log', { part })), submit());
    const turns: Usage[] = [];

    const result = await runAgent(
      params([readLog], { onTurn: async (_turn, usage) => void turns.push(usage) }),
    );

    expect(result).toMatchObject({ outcome: 'submitted', turns: 201 });
    const bodies = fake.requests.map((request) => request.body);
    expect(bodies).toHaveLength(201);
    for (const body of bodies) expect(countPromptTokens(body)).toBeLessThanOrEqual(200_000 - 16_000);
    const trims: number[] = [];
    for (let index = 1; index < bodies.length; index += 1) {
      const before = bodies[index - 1] ?? {};
      const after = bodies[index] ?? {};
      if (!isPrefix(messagesOf(before), messagesOf(after))) {
        trims.push(index);
        continue;
      }
      // Between trims the whole previous request is read from the cache, and it is recorded per turn.
      expect(turns[index]?.cacheReadTokens, `request ${index}`).toBe(countPromptTokens(before));
    }
    expect(trims.length).toBeGreaterThanOrEqual(10);
    expect(trims.length).toBeLessThanOrEqual(40);
    for (let index = 1; index < trims.length; index += 1) {
      expect((trims[index] ?? 0) - (trims[index - 1] ?? 0)).toBeGreaterThanOrEqual(5);
    }
    const last = JSON.stringify(bodies.at(-1)?.messages);
    expect(last).toContain(
      '[tool result of read_log({\\"part\\":0}) cleared to fit the context window; call the tool again if you need it]',
    );
    expect(last).toContain('part 199 line 399');
    const input = turns.reduce((sum, turn) => sum + turn.inputTokens + turn.cacheWriteTokens, 0);
    const all = turns.reduce(
      (sum, turn) => sum + turn.inputTokens + turn.cacheWriteTokens + turn.cacheReadTokens,
      0,
    );
    expect(input / all).toBeLessThan(0.2);
  });

  it('a prompt the API finds too long is trimmed and retried once, and the stage goes on', async () => {
    fake = await startFakeAnthropic({ cache: true, contextWindow: 45_000 });
    fake.script(...Array.from({ length: 6 }, (_, part) => call('read_log', { part })), submit());

    const result = await runAgent(params([readLog]));

    expect(result).toMatchObject({ outcome: 'submitted', turns: 7 });
    expect(fake.requests).toHaveLength(8);
    const refused = fake.requests.findIndex((request) => countPromptTokens(request.body) > 45_000 - 16_000);
    expect(refused).toBeGreaterThan(0);
    expect(JSON.stringify(fake.requests[refused + 1]?.body.messages)).toContain(
      'cleared to fit the context window',
    );
  });

  it('a prompt still too long after the trim fails the stage after one retry', async () => {
    fake = await startFakeAnthropic({ contextWindow: 100 });

    const error = await runAgent(params([readLog])).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(PromptTooLongError);
    expect(fake.requests).toHaveLength(1);
  });

  describe('a reply cut off at max_tokens', () => {
    const github = new InMemoryGitHub();
    github.branches.set(BRANCH, BASE);
    github.files.set(IMPL, 'old\n');
    const workspace = () =>
      createWorkspace({
        github,
        branch: BRANCH,
        baseSha: BASE,
        policy: buildPathPolicy({ stage: 'implement', source: 'acme_crm' }),
      });

    it('never runs the cut-off tool call: the model is told to send it in parts, and the whole file is written', async () => {
      fake = await startFakeAnthropic();
      const full = 'class AcmeCrm:\n    pass\n';
      fake.script(
        call('write_file', { path: IMPL, content: 'class Acme' }, 'max_tokens'),
        call('write_file', { path: IMPL, content: full }),
        submit(),
      );
      const space = workspace();

      const result = await runAgent(params(Object.values(createWorkspaceTools(space))));

      expect(result).toMatchObject({ outcome: 'submitted', turns: 3 });
      expect((await space.diff()).map((change) => change.content)).toEqual([full]);
      const answer = (
        (fake.requests[1]?.body.messages ?? []) as Array<{ content: Array<Record<string, unknown>> }>
      ).at(-1);
      expect(answer?.content[0]).toMatchObject({
        type: 'tool_result',
        is_error: true,
        content: expect.stringMatching(/^Not run: your reply reached the output limit \(16000 tokens\)/),
      });
    });

    it('a cut-off text reply is asked to continue; replies that keep being cut off give up after the nudges', async () => {
      fake = await startFakeAnthropic();
      const cut = { content: [{ type: 'text', text: 'Here is the plan: first' }], stop_reason: 'max_tokens' };
      fake.script(cut, call('write_file', { path: IMPL, content: 'x' }, 'max_tokens'), cut);

      const result = await runAgent(params(Object.values(createWorkspaceTools(workspace()))));

      expect(result).toMatchObject({
        outcome: 'gave_up',
        reason: "the model's replies kept reaching the output limit (16000 tokens)",
        turns: 3,
      });
      expect(JSON.stringify(fake.requests[1]?.body.messages)).toContain('Continue from where it stopped');
      expect(github.files.get(IMPL)).toBe('old\n');
    });
  });
});
