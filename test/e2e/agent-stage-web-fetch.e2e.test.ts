import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../../src/adapters/anthropic/anthropic-model.js';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { createAgentStageRunner } from '../../src/agent-runtime/agent-stage-runner.js';
import { DEFAULT_PRICES } from '../../src/domain/accounting/pricing.js';
import { parseAgentFile } from '../../src/domain/agents/agent-definition.js';
import type { StageJob } from '../../src/domain/pipeline/jobs.js';
import { startStage } from '../../src/domain/pipeline/progress.js';
import type { RunRef } from '../../src/domain/pipeline/run.js';
import type { StageRunner } from '../../src/ports/stage-runner.js';
import { type FakeAnthropic, startFakeAnthropic } from '../fakes/fake-anthropic-server.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { fakeOctokit } from '../helpers/app-octokit.js';
import { newRun } from '../helpers/pipeline.js';

const OWNER = 'acme';
const REPO = 'connectors';
const AGENT = `---
name: source-api-researcher
description: Researches the source API and writes the API doc.
tools: list_files, read_file, write_file, web_search, web_fetch, submit
model: sonnet
max_turns: 4
---
You research a source's API and write its API document.
`;

type ToolBody = { type?: string; name: string; allowed_domains?: string[] };

/** The research job a run with `allowedDomains` in its settings queues, for a request listing `docsUrls`. */
function researchJobWith(ref: RunRef, docsUrls: string[], allowedDomains: string[]): StageJob {
  const run = newRun({ ref, tables: ['contacts'], settings: { webFetch: { allowedDomains } } });
  const effect = startStage({ ...run, request: { ...run.request, docsUrls } }, 'research').effects[0];
  if (effect?.type !== 'enqueue_stage') throw new Error('expected an enqueue_stage effect');
  return effect.job;
}

describe("research's web_fetch, through the real stage runner and SDK against the fake Messages API", () => {
  let github: FakeGitHub;
  let model: FakeAnthropic;
  let runner: StageRunner;
  let ref: RunRef;

  beforeEach(async () => {
    github = await startFakeGitHub();
    model = await startFakeAnthropic();
    github.addRepo({ owner: OWNER, repo: REPO, files: { 'README.md': '# connectors\n' } });
    ref = { installationId: github.installationId, owner: OWNER, repo: REPO, issue: 42 };
    runner = createAgentStageRunner({
      model: createAnthropicModel({ apiKey: 'test-key', baseURL: model.url, maxRetries: 1 }),
      agents: new Map([['source-api-researcher', parseAgentFile('agents/x.md', AGENT)]]),
      github: (repo) =>
        createOctokitGitHub({
          repo,
          getOctokit: async () => fakeOctokit(github.url),
          botLogin: github.botLogin,
        }),
      prices: DEFAULT_PRICES,
      clock: { now: () => new Date() },
    });
  });

  afterEach(async () => {
    try {
      github.assertNoViolations();
      model.assertNoViolations();
    } finally {
      await github.close();
      await model.close();
    }
  });

  /** Runs the job for one model turn (a submit with no change: the stage fails, which is not the point). */
  async function firstRequest(job: StageJob) {
    model.script({
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'submit', input: { summary: 'none', files: [] } }],
      stop_reason: 'tool_use',
    });
    await runner.runStage(job, new AbortController().signal);
    const body = model.requests[0]?.body ?? {};
    const tools = (body.tools ?? []) as ToolBody[];
    const messages = body.messages as Array<{ content: Array<{ text?: string }> }>;
    // The first message is the run-wide part, then the stage's part (which carries the web note).
    const context = (messages[0]?.content ?? []).map((block) => block.text ?? '').join('\n');
    return { tools, context };
  }

  it('limits web_fetch to the documentation hosts plus the configured domains, never an internal host', async () => {
    const job = researchJobWith(
      ref,
      [
        'https://Developer.AcmeCRM.com/api/v2',
        'https://developer.acmecrm.com/guides/auth',
        'http://127.0.0.1:8080/docs',
        'http://10.0.0.5/api',
        'http://localhost/docs',
        'http://[::1]/docs',
        'http://169.254.169.254/latest/meta-data/',
        'https://status.acmecrm.com/',
      ],
      ['readme.io', 'developer.acmecrm.com'],
    );

    const { tools, context } = await firstRequest(job);

    const fetch = tools.find((tool) => tool.name === 'web_fetch');
    expect(fetch).toMatchObject({ type: 'web_fetch_20250910', max_uses: 40 });
    expect(fetch?.allowed_domains).toEqual(['developer.acmecrm.com', 'status.acmecrm.com', 'readme.io']);
    const search = tools.find((tool) => tool.name === 'web_search');
    expect(search).toEqual({ type: 'web_search_20250305', name: 'web_search', max_uses: 20 });
    expect(context).toContain(
      'web_fetch may read only these hosts and their subdomains: developer.acmecrm.com, status.acmecrm.com, readme.io.',
    );
  });

  it('offers no web_fetch (web_search stays) when no link has a public host and nothing is configured', async () => {
    const job = researchJobWith(
      ref,
      ['http://127.0.0.1/docs', 'http://[::1]/', 'http://169.254.169.254/'],
      [],
    );

    const { tools, context } = await firstRequest(job);

    expect(tools.map((tool) => tool.name)).toEqual([
      'web_search',
      'list_files',
      'read_file',
      'write_file',
      'submit',
    ]);
    expect(context).toContain('web_fetch is not available for this request');
  });
});
