import { fileURLToPath } from 'node:url';
import { createAnthropicModel } from '../src/adapters/anthropic/anthropic-model.js';
import { createWorkspaceTools } from '../src/agent-runtime/agent-tools.js';
import { buildStageContextParts } from '../src/agent-runtime/build-context.js';
import { runAgent } from '../src/agent-runtime/run-agent.js';
import { StageReport } from '../src/agent-runtime/stage-agents.js';
import { loadAgents } from '../src/config/load-agents.js';
import { DEFAULT_REPO_CONFIG } from '../src/config/repo-config.js';
import { DEFAULT_PRICES } from '../src/domain/accounting/pricing.js';
import { resolveModelId } from '../src/domain/agents/models.js';
import type { CiFailure } from '../src/domain/pipeline/run.js';
import { buildPathPolicy } from '../src/domain/policy/path-policy.js';
import { createWorkspace } from '../src/workspace/workspace.js';
import { type FakeTurn, startFakeAnthropic } from '../test/fakes/fake-anthropic-server.js';
import type { InMemoryGitHub } from '../test/fakes/in-memory-github.js';
import { PATHS, SOURCE } from '../test/fixtures/transcripts/brightdesk/index.js';
import { BRIGHTDESK_BRANCH, brightdeskJob } from '../test/helpers/brightdesk-stages.js';
import { addTurn, type InputTally, NO_INPUT } from './cache-figures.js';

const AGENTS_DIR = fileURLToPath(new URL('../agents/', import.meta.url));
const TURNS = 60;

/** A pytest run of the harness with one failure, as the CI log excerpt the tester is given. */
function pytestLog(): string {
  const passed = Array.from(
    { length: 40 },
    (_, index) =>
      `tests/unit/sources/${SOURCE}/test_${SOURCE}_lakeflow_connect.py::TestConnector::test_case_${index} PASSED [${String(index * 2).padStart(3)}%]`,
  );
  const trace = Array.from(
    { length: 30 },
    (_, index) =>
      `src/databricks/labs/community_connector/sources/${SOURCE}/${SOURCE}.py:${100 + index}: in read_table\n    records, offset = self._read_page(table, offset)`,
  );
  return [
    ...passed,
    '=================================== FAILURES ===================================',
    ...trace,
  ]
    .join('\n')
    .slice(0, 6_000);
}

const FAILURE: CiFailure = {
  runKey: 'acme-connectors-42-b2-test-a2-simulate',
  url: null,
  tests: [{ name: 'test_read_terminates', outcome: 'failed', message: 'read_table did not converge' }],
  logExcerpt: pytestLog(),
};

/** Lines of `text` that occur once and are long enough to anchor an edit. */
function uniqueLines(text: string): string[] {
  const lines = text.split('\n').filter((line) => line.trim().length > 20);
  return lines.filter((line) => lines.indexOf(line) === lines.lastIndexOf(line));
}

/**
 * The turns of a test-and-fix loop shaped like a real one: the tester reads the implementation, the
 * test file, a corpus file and the simulator spec, searches, and edits the connector a line at a
 * time, for `TURNS - 1` turns, then submits.
 */
function loopTurns(files: Map<string, string>): FakeTurn[] {
  const anchors = uniqueLines(files.get(PATHS.implementation) ?? '');
  const reads = [
    PATHS.implementation,
    PATHS.testFile,
    `${PATHS.simulatorCorpus}tickets.json`,
    PATHS.simulatorEndpoints,
  ];
  const turns: FakeTurn[] = [];
  for (let turn = 1; turn < TURNS; turn += 1) {
    const kind = turn % 4;
    const anchor = anchors[turn % anchors.length] ?? '';
    const input =
      kind === 0
        ? {
            name: 'edit_file',
            input: { path: PATHS.implementation, old_text: anchor, new_text: `${anchor}  # checked ${turn}` },
          }
        : kind === 1
          ? { name: 'read_file', input: { path: reads[(turn >> 2) % reads.length] } }
          : kind === 2
            ? { name: 'search_files', input: { pattern: 'def |offset', prefix: PATHS.sourceDir } }
            : { name: 'read_file', input: { path: PATHS.implementation } };
    turns.push({
      content: [
        { type: 'text', text: `Step ${turn}: checking how the offset is handled.` },
        { type: 'tool_use', id: `toolu_loop_${turn}`, ...input },
      ],
      stop_reason: 'tool_use',
      usage: { output_tokens: 400 },
    });
  }
  turns.push({
    content: [
      {
        type: 'tool_use',
        id: 'toolu_loop_submit',
        name: 'submit',
        input: { summary: 'Fixed the offset handling.', files: [PATHS.implementation] },
      },
    ],
    stop_reason: 'tool_use',
    usage: { output_tokens: 200 },
  });
  return turns;
}

/**
 * A 60-turn test-and-fix loop of the real `connector-tester` agent (its prompt, tools and model) on
 * the connector `github`'s branch holds, through the real tool loop and SDK against the caching
 * fake, with `now` as the fake's clock. Returns the input tally; throws if a tool call failed.
 */
export async function runTestFixLoop(github: InMemoryGitHub, now: () => number): Promise<InputTally> {
  const agent = (await loadAgents(AGENTS_DIR)).get('connector-tester');
  if (agent === undefined) throw new Error('agents/connector-tester.md is missing');
  const baseSha = github.branches.get(BRIGHTDESK_BRANCH);
  if (baseSha === undefined) throw new Error(`The branch ${BRIGHTDESK_BRANCH} is missing`);
  const fake = await startFakeAnthropic({
    cache: { now },
    turns: loopTurns(github.filesAt(BRIGHTDESK_BRANCH)),
  });
  try {
    const workspace = createWorkspace({
      github,
      branch: BRIGHTDESK_BRANCH,
      baseSha,
      policy: buildPathPolicy({ stage: 'test', source: SOURCE }),
    });
    const tools = createWorkspaceTools(workspace);
    let tally = NO_INPUT;
    const context = buildStageContextParts(brightdeskJob({ stage: 'test', batch: 2, attempt: 2 }, FAILURE));
    const result = await runAgent({
      model: createAnthropicModel({ apiKey: 'bench', baseURL: fake.url, maxRetries: 0 }),
      modelId: resolveModelId({ agent }),
      agent: { name: agent.name, prompt: agent.prompt, maxTurns: TURNS },
      reference: [],
      sharedContext: { text: context.repository, cacheTtl: DEFAULT_REPO_CONFIG.promptCacheTtl },
      context: context.messages,
      tools: agent.tools.flatMap((name) => (tools[name] === undefined ? [] : [tools[name]])),
      submitSchema: StageReport,
      limits: { maxOutputTokens: 16_000, wallClockMs: 3_600_000, maxSubmitAttempts: 2, maxNudges: 2 },
      budget: { stageUsd: 1_000, runLeftUsd: 1_000 },
      prices: DEFAULT_PRICES,
      clock: { now: () => new Date() },
      onTurn: async (_turn, usage) => {
        tally = addTurn(tally, usage);
      },
    });
    const failed = fake.requests.flatMap((request) =>
      JSON.stringify(request.body.messages).includes('"is_error":true') ? [request] : [],
    );
    if (result.outcome !== 'submitted' || result.turns !== TURNS || failed.length > 0) {
      throw new Error(
        `The test-and-fix loop went wrong: ${result.outcome} after ${result.turns} turns, ${failed.length} failed tool calls`,
      );
    }
    fake.assertNoViolations();
    return tally;
  } finally {
    await fake.close();
  }
}
