import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAnthropicModel } from '../../src/adapters/anthropic/anthropic-model.js';
import { createAgentStageRunner } from '../../src/agent-runtime/agent-stage-runner.js';
import { loadAgents } from '../../src/config/load-agents.js';
import { DEFAULT_PRICES } from '../../src/domain/accounting/pricing.js';
import { StageJob, stageJobId } from '../../src/domain/pipeline/jobs.js';
import type { Stage } from '../../src/domain/pipeline/phase.js';
import type { CiFailure } from '../../src/domain/pipeline/run.js';
import type { StageResult } from '../../src/ports/stage-runner.js';
import {
  type FakeAnthropic,
  type FakeAnthropicOptions,
  startFakeAnthropic,
} from '../fakes/fake-anthropic-server.js';
import { InMemoryGitHub } from '../fakes/in-memory-github.js';
import {
  BATCH_1_TABLES,
  BATCH_2_TABLES,
  brightdeskModel,
  PATHS,
  type ScriptedModel,
  SOURCE,
  type Transcript,
} from '../fixtures/transcripts/brightdesk/index.js';
import { fixtureFiles } from './fixture-files.js';

const AGENTS_DIR = fileURLToPath(new URL('../../agents/', import.meta.url));
const REF = { installationId: 7, owner: 'acme', repo: 'connectors', issue: 42 };

/** The branch the Brightdesk run builds on. */
export const BRIGHTDESK_BRANCH = 'lakeflow/brightdesk';

/** One stage attempt of the run, in the order the pipeline runs them. */
export interface StageStep {
  stage: Stage;
  batch: number;
  attempt: number;
}

/** The whole run: batch 1 (the test stage twice: the bug, then the fix) and batch 2. */
export const BRIGHTDESK_RUN: readonly StageStep[] = [
  { stage: 'research', batch: 1, attempt: 1 },
  { stage: 'auth', batch: 1, attempt: 1 },
  { stage: 'implement', batch: 1, attempt: 1 },
  { stage: 'test', batch: 1, attempt: 1 },
  { stage: 'test', batch: 1, attempt: 2 },
  { stage: 'docs_spec', batch: 1, attempt: 1 },
  { stage: 'package', batch: 1, attempt: 1 },
  { stage: 'research', batch: 2, attempt: 1 },
  { stage: 'implement', batch: 2, attempt: 1 },
  { stage: 'test', batch: 2, attempt: 1 },
  { stage: 'docs_spec', batch: 2, attempt: 1 },
  { stage: 'package', batch: 2, attempt: 1 },
];

/** The CI failure the batch-1 bug produces (what the tester's attempt 2 is given). */
export const READ_TERMINATES_FAILURE: CiFailure = {
  runKey: 'acme-connectors-42-b1-test-a1-simulate',
  url: null,
  tests: [
    { name: 'test_list_tables', outcome: 'passed', message: null },
    {
      name: 'test_read_terminates',
      outcome: 'failed',
      message:
        'Failed: [tickets] read_table did not converge in 50 iterations (last offset: {"page": 3, "since": "1970-01-01T00:00:00Z"}): it must end by returning the offset it was given',
    },
  ],
  logExcerpt: `E   Failed: [tickets] read_table did not converge in 50 iterations (last offset: {"page": 3, "since": "1970-01-01T00:00:00Z"}): it must end by returning the offset it was given\n1 failed, 8 passed`,
};

/** The stage job of `step`, with the tables and mode the planner gives each batch. */
export function brightdeskJob(step: StageStep, ciFailure: CiFailure | null = null): StageJob {
  const { stage, batch, attempt } = step;
  return StageJob.parse({
    jobId: stageJobId(REF, stage, batch, attempt),
    ref: REF,
    source: SOURCE,
    branch: BRIGHTDESK_BRANCH,
    stage,
    batch,
    attempt,
    mode: batch === 1 ? 'create' : stage === 'research' ? 'append' : 'extend',
    tables: batch === 1 ? (stage === 'research' ? [] : BATCH_1_TABLES) : BATCH_2_TABLES,
    completedTables: batch === 1 ? [] : BATCH_1_TABLES,
    feedback: [],
    ciFailure,
    budgetUsd: 25,
    runBudgetLeftUsd: 250,
  });
}

/** The real agent stage runner, the real SDK against the fake Messages API, and an in-memory GitHub. */
export interface BrightdeskRig {
  github: InMemoryGitHub;
  fake: FakeAnthropic;
  model: ScriptedModel;
  /** Runs one stage attempt, scripting exactly the turns its transcripts have. */
  run(step: StageStep, ciFailure?: CiFailure | null): Promise<StageResult>;
  /** Commits on the run's branch, oldest first. */
  commits(): InMemoryGitHub['commits'];
  /** Files at the branch head. */
  files(): Map<string, string>;
  close(): Promise<void>;
}

/**
 * A branch seeded with the target-repo fixture, and a model playing the Brightdesk transcripts;
 * `fakeOptions` start the fake Messages API (its prompt cache, its context window).
 */
export async function startBrightdeskRig(
  overrides: readonly Transcript[] = [],
  fakeOptions: Omit<FakeAnthropicOptions, 'turns'> = {},
): Promise<BrightdeskRig> {
  const github = new InMemoryGitHub();
  github.pushCommit(BRIGHTDESK_BRANCH, await fixtureFiles(), 'The target repository');
  const fake = await startFakeAnthropic(fakeOptions);
  const model = brightdeskModel(overrides);
  const runner = createAgentStageRunner({
    model: createAnthropicModel({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 }),
    agents: await loadAgents(AGENTS_DIR),
    github: () => github,
    prices: DEFAULT_PRICES,
    clock: { now: () => new Date() },
  });
  return {
    github,
    fake,
    model,
    async run(step, ciFailure = null) {
      fake.script(...model.turnsFor(step.stage, step.batch, step.attempt));
      const result = await runner.runStage(brightdeskJob(step, ciFailure), new AbortController().signal);
      if (model.problems.length > 0) throw new Error(`The scripted model saw:\n${model.problems.join('\n')}`);
      if (fake.remaining() !== 0) throw new Error(`${fake.remaining()} scripted turns were not used`);
      return result;
    },
    commits: () => github.commits.filter((commit) => commit.branch === BRIGHTDESK_BRANCH),
    files: () => new Map(github.filesAt(BRIGHTDESK_BRANCH)),
    close: () => fake.close(),
  };
}

/** What the connector's pytest run showed. */
export interface PytestRun {
  code: number | null;
  passed: string[];
  failed: Array<{ name: string; message: string }>;
  output: string;
}

/** The interpreter with pytest, requests and PyYAML (`.ci/run` sets PYTHON when `python3` lacks them). */
const PYTHON = process.env.PYTHON ?? 'python3';

function exec(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      PYTHON,
      args,
      { cwd, timeout: 120_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, output: `${stdout}${stderr}${error && code === null ? String(error) : ''}` });
      },
    );
  });
}

function unescapeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Writes `files` to a temporary directory and runs the connector's tests there, as CI does. */
export async function runConnectorTests(files: ReadonlyMap<string, string>): Promise<PytestRun> {
  const dir = await mkdtemp(join(tmpdir(), 'brightdesk-tree-'));
  try {
    for (const [path, text] of files) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const junit = join(dir, 'junit.xml');
    const run = await exec(['-m', 'pytest', '-q', `--junitxml=${junit}`, PATHS.testsDir], dir);
    const xml = await readFile(junit, 'utf8').catch(() => '');
    const passed: string[] = [];
    const failed: PytestRun['failed'] = [];
    for (const match of xml.matchAll(
      /<testcase\b[^>]*\bname="([^"]+)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g,
    )) {
      const problem = /<(?:failure|error)\b[^>]*\bmessage="([^"]*)"/.exec(match[2] ?? '');
      if (problem) failed.push({ name: match[1] ?? '', message: unescapeXml(problem[1] ?? '') });
      else passed.push(match[1] ?? '');
    }
    return { code: run.code, passed, failed, output: run.output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `python -m py_compile` on `text` (a syntax check of a generated module). */
export async function compilePython(text: string): Promise<{ code: number | null; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'brightdesk-compile-'));
  try {
    await writeFile(join(dir, 'module.py'), text);
    return await exec(['-m', 'py_compile', 'module.py'], dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The CI failure a pytest run amounts to (what the test stage's next attempt receives). */
export function ciFailureOf(run: PytestRun): CiFailure {
  return {
    runKey: 'acme-connectors-42-b1-test-a1-simulate',
    url: null,
    tests: [
      ...run.passed.map((name) => ({ name, outcome: 'passed' as const, message: null })),
      ...run.failed.map(({ name, message }) => ({ name, outcome: 'failed' as const, message })),
    ],
    logExcerpt: run.output.slice(-6_000),
  };
}
