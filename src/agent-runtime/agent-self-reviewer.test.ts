import { describe, expect, it } from 'vitest';
import { InMemoryGitHub } from '../../test/fakes/in-memory-github.js';
import { modelChecks } from '../../test/fakes/scripted-self-reviewer.js';
import { DEFAULT_PRICES } from '../domain/accounting/pricing.js';
import type { AgentDefinition } from '../domain/agents/agent-definition.js';
import type { SelfReviewJob } from '../domain/pipeline/jobs.js';
import { DEFAULT_LAYOUT } from '../domain/target-repo/layout.js';
import { goodFiles, P } from '../domain/verify/fixture.test-support.js';
import type { ModelPort, ModelReply } from '../ports/model.js';
import { createAgentSelfReviewer } from './agent-self-reviewer.js';

const USAGE = {
  inputTokens: 100,
  outputTokens: 50,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  webSearchRequests: 0,
  webFetchRequests: 0,
};

/** A model that answers the given replies in order and records the tool names it was offered. */
function scriptedModel(replies: ModelReply['content'][]) {
  const offered: string[][] = [];
  const model: ModelPort = {
    async createMessage(params) {
      offered.push(params.tools.map((tool) => tool.name));
      const content = replies.shift() ?? [{ type: 'text', text: 'done' }];
      return { content, stopReason: 'tool_use', usage: USAGE, model: params.model };
    },
  };
  return { model, offered };
}

const AGENT: AgentDefinition = {
  name: 'connector-self-reviewer',
  description: 'reviews',
  // A write tool in the file is never handed out: the reviewer is read-only in code.
  tools: ['list_files', 'read_file', 'write_file', 'submit'],
  model: 'claude-sonnet-5-5',
  maxTurns: 5,
  prompt: 'Review the connector and call `submit`.',
};

function setUp(files: Map<string, string>, replies: ModelReply['content'][]) {
  const github = new InMemoryGitHub();
  const headSha = github.pushCommit('lakeflow-connector/acme_crm', Object.fromEntries(files));
  const { model, offered } = scriptedModel(replies);
  const reviewer = createAgentSelfReviewer({
    model,
    agents: new Map([[AGENT.name, AGENT]]),
    github: () => github,
    prices: DEFAULT_PRICES,
    clock: { now: () => new Date('2026-11-25T12:00:00Z') },
  });
  const job: SelfReviewJob = {
    jobId: 'acme-connectors-42-b1-self-review-abc',
    ref: { installationId: 7, owner: 'acme', repo: 'connectors', issue: 42 },
    source: 'acme_crm',
    branch: 'lakeflow-connector/acme_crm',
    batch: 1,
    tables: ['contacts', 'deals'],
    headSha,
    budgetUsd: 8,
    runBudgetLeftUsd: 20,
    budgetTokens: 4_000_000,
    runTokensLeft: 20_000_000,
    layout: DEFAULT_LAYOUT,
  };
  return { reviewer, job, offered };
}

const SUBMIT_ALL_PASS: ModelReply['content'] = [
  {
    type: 'tool_use',
    id: 'submit-1',
    name: 'submit',
    input: { checks: modelChecks(), recommendations: ['Record a live run.'] },
  },
];

describe('createAgentSelfReviewer', () => {
  it("returns the model's answers and the bot's own checks on the head's files, offering only read tools", async () => {
    const files = goodFiles();
    files.set(P.init, 'x = 1\n');
    const { reviewer, job, offered } = setUp(files, [
      [{ type: 'tool_use', id: 'read-1', name: 'read_file', input: { path: P.init } }],
      SUBMIT_ALL_PASS,
    ]);

    const result = await reviewer.review(job, new AbortController().signal);

    expect(offered[0]).toEqual(['list_files', 'read_file', 'submit']);
    if (result.status !== 'reviewed') throw new Error(`expected a review, got ${JSON.stringify(result)}`);
    expect(result.model).toHaveLength(54);
    expect(result.bot.find((check) => check.id === 'A13')).toMatchObject({ result: 'fail' });
    expect(result.recommendations).toEqual(['Record a live run.']);
    expect(result.usage.inputTokens).toBe(200);
  });

  it('reports a reviewer that never submits as a failed review, with the reason', async () => {
    const { reviewer, job } = setUp(goodFiles(), []);

    const result = await reviewer.review(job, new AbortController().signal);

    expect(result).toMatchObject({
      status: 'failed',
      reason: 'connector-self-reviewer the model stopped without submitting a report.',
    });
  });
});
