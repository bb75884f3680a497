import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeAnthropic,
  type FakeAnthropicRequest,
  type FakeError,
  type FakeReply,
  startFakeAnthropic,
} from '../fakes/fake-anthropic-server.js';
import { brightdeskModel, PATHS, type ScriptedModel } from '../fixtures/transcripts/brightdesk/index.js';
import { git, makeFixtureCheckout, spawnCli } from '../helpers/local-checkout.js';

const PYTHON = process.env.PYTHON ?? 'python3';
const BRANCH = 'lakeflow-connector/brightdesk';
/** The config of the temporary checkout: no self-review (the transcripts have no reviewer turns). */
const CONFIG = { '.github/lakeflow-connector-bot.yml': 'selfReview: false\n' };

/** `<stage> …` subject lines of the commits on the run's branch, oldest first. */
function branchSubjects(dir: string): string[] {
  return git(dir, 'log', '--reverse', '--format=%s', `main..${BRANCH}`).split('\n').filter(Boolean);
}

/** The `Lakeflow-Job:` trailers of the branch's commits. */
function jobTrailers(dir: string): string[] {
  return git(dir, 'log', '--format=%B', `main..${BRANCH}`)
    .split('\n')
    .filter((line) => line.startsWith('Lakeflow-Job: '));
}

/**
 * What the output of `run` must never hold: it speaks terminal, not GitHub markdown. No table row,
 * no slash command to reply with, no `file://` link.
 */
function expectTerminalOutput(output: string): void {
  expect(output).not.toMatch(/^\s*\|.*\|\s*$/m);
  expect(output).not.toMatch(/\/(approve|revise|skip-auth|retry|cancel)\b/);
  expect(output).not.toContain('file://');
  expect(output).not.toContain('**');
}

/** A git checkout of something that is not a connectors repository: one README. */
async function makePlainCheckout(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lakeflow-plain-'));
  await writeFile(join(dir, 'README.md'), '# Not a connectors repository\n');
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--message', 'Something else');
  return dir;
}

describe('lakeflow-connector-bot run', () => {
  let fake: FakeAnthropic;
  let model: ScriptedModel;
  let dir: string;
  let env: Record<string, string>;
  let slowImplement: boolean;

  beforeEach(async () => {
    model = brightdeskModel();
    fake = await startFakeAnthropic();
    slowImplement = false;
    const turn = model.turn as (request: FakeAnthropicRequest) => FakeReply | FakeError;
    // With `slowImplement`, the first implement request is answered only after 20 s: time for Ctrl-C.
    const answer = (request: FakeAnthropicRequest): FakeReply | FakeError => {
      const reply = turn(request);
      if (!slowImplement || 'status' in reply) return reply;
      if (!JSON.stringify(request.body.system).includes('You are the implementation phase')) return reply;
      slowImplement = false;
      return { ...reply, delayMs: 20_000 };
    };
    fake.script(...Array.from({ length: 400 }, () => answer));
    dir = await makeFixtureCheckout(CONFIG);
    env = { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, PYTHON };
  });

  afterEach(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('--yes runs every phase of both batches to a branch of one commit per stage (and the regenerated merged source after each package run), with the real pytest green', async () => {
    const statusBefore = git(dir, 'status', '--porcelain');

    const cli = spawnCli(['run', '--source', 'brightdesk', '--repo', dir, '--yes'], { env });
    const code = await cli.exited;

    expect(model.problems).toEqual([]);
    expect(code, cli.output()).toBe(0);
    expect(branchSubjects(dir)).toEqual([
      'research: brightdesk (batch 1)',
      'auth: brightdesk (batch 1)',
      'implement: brightdesk (batch 1)',
      'test: brightdesk (batch 1)',
      'test: brightdesk (batch 1)',
      'docs_spec: brightdesk (batch 1)',
      'package: brightdesk (batch 1)',
      'package: regenerate the merged source of brightdesk',
      'research: brightdesk (batch 2)',
      'implement: brightdesk (batch 2)',
      'test: brightdesk (batch 2)',
      'docs_spec: brightdesk (batch 2)',
      'package: brightdesk (batch 2)',
      'package: regenerate the merged source of brightdesk',
    ]);
    expect(new Set(jobTrailers(dir)).size).toBe(14);
    expect(jobTrailers(dir).filter((id) => id.endsWith('-merged-source'))).toHaveLength(2);
    expect(cli.output()).toMatch(/committed the regenerated merged source file \([0-9a-f]{7}\)/);
    expect(git(dir, 'show', `${BRANCH}:${PATHS.mergedSource}`)).toMatch(
      /^# Merged Lakeflow Source: brightdesk$/m,
    );
    expect(cli.output()).toContain('--yes: no live check');
    expect(cli.output()).toMatch(/✗ test & fix: CI simulate failure: 6 passed, 1 failed/);
    expect(cli.output()).toMatch(/✓ test & fix: CI simulate success: 7 passed, 0 failed/);
    expect(cli.output()).toMatch(
      /✓ implement: committed [0-9a-f]{7} in \d+m \d{2}s · [\d,]+ tokens · \$\d+\.\d{4}/,
    );
    expect(git(dir, 'show', `${BRANCH}:${PATHS.implementation}`)).toContain('class');
    expect(git(dir, 'status', '--porcelain')).toBe(statusBefore);
    expect(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expectTerminalOutput(cli.output());
    expect(cli.output()).toMatch(/^Phase 1, research: API documented · commit [0-9a-f]{7}$/m);
    expect(cli.output()).toMatch(/^brightdesk connector complete · 2 batches · 5 tables/m);
  }, 90_000);

  it('asks each gate on standard input: a revise reaches the model, skip-auth, and cancel at the next batch ends the run', async () => {
    const feedback = 'Start with the tickets endpoint and mind the cursor window';
    const answers = ['x', `r ${feedback}`, 'a', 'a', 'approve', 's', 'a', 'a', 'a', 'c'];

    const cli = spawnCli(['run', '--source', 'brightdesk', '--repo', dir], {
      env,
      input: `${answers.join('\n')}\n`,
    });
    const code = await cli.exited;

    expect(model.problems).toEqual([]);
    expect(code, cli.output()).toBe(0);
    expectTerminalOutput(cli.output());
    const first = fake.requests[0] as FakeAnthropicRequest;
    expect(JSON.stringify(first.body.messages)).toContain(feedback);
    expect(cli.output()).toContain(
      '"x" is not an answer here: answer [a]pprove / [r]evise <text> / [c]ancel',
    );
    expect(cli.output()).toContain('[a]pprove / [r]evise <text> / [c]ancel / [s]kip-auth > ');
    expect(cli.output()).toContain('↳ updated the plan above. research will follow your instruction.');
    expect(cli.output()).toMatch(
      /^Phase 4, test & fix: all tests pass · 2 CI runs: run 1 red, run 2 green$/m,
    );
    expect(cli.output()).toMatch(/^ {2}✓ passed {3}test_brightdesk_lakeflow_connect::/m);
    expect(cli.output()).toMatch(/^✓ implement: committed [0-9a-f]{7} in \d+m \d{2}s · /m);
    expect(branchSubjects(dir)).toEqual([
      'research: brightdesk (batch 1)',
      'auth: brightdesk (batch 1)',
      'implement: brightdesk (batch 1)',
      'test: brightdesk (batch 1)',
      'test: brightdesk (batch 1)',
      'docs_spec: brightdesk (batch 1)',
      'package: brightdesk (batch 1)',
      'package: regenerate the merged source of brightdesk',
    ]);
  }, 60_000);

  it('stops at the end of input with the run kept, and --resume goes on from that gate', async () => {
    const first = spawnCli(['run', '--source', 'brightdesk', '--repo', dir], { env, input: 'a\n' });
    const stopped = await first.exited;

    const again = spawnCli(['run', '--source', 'brightdesk', '--repo', dir], { env, input: '' });
    const refused = await again.exited;

    expect(stopped, first.output()).toBe(1);
    expect(first.output()).toContain(
      'Stopped at the stage question; nothing was lost. Go on with: npx lakeflow-connector-bot run --resume',
    );
    expect(refused).toBe(1);
    expect(again.output()).toContain('a run of brightdesk is already under way (awaiting_approval');
    expect(branchSubjects(dir)).toEqual(['research: brightdesk (batch 1)']);

    const resumed = spawnCli(['run', '--resume', '--repo', dir], { env, input: 'c\n' });

    expect(await resumed.exited, resumed.output()).toBe(1);
    expect(resumed.output()).toContain('■ Cancelled');
  }, 60_000);

  it('Ctrl-C during a phase leaves whole commits only, and --resume finishes with no duplicate commit', async () => {
    slowImplement = true;
    const cli = spawnCli(['run', '--source', 'brightdesk', '--repo', dir, '--yes'], { env });
    await cli.waitForOutput('▶ implement: running (attempt 1)…');
    await new Promise((resolve) => setTimeout(resolve, 500));

    cli.kill('SIGINT');
    const interrupted = await cli.exited;

    expect(interrupted, cli.output()).toBe(130);
    expect(cli.output()).toContain(
      'Interrupted: the run is saved. Branch lakeflow-connector/brightdesk is at',
    );
    expect(branchSubjects(dir)).toEqual(['research: brightdesk (batch 1)', 'auth: brightdesk (batch 1)']);

    const resumed = spawnCli(['run', '--resume', '--repo', dir], { env, input: 'a\na\na\nc\n' });
    const code = await resumed.exited;

    expect(model.problems).toEqual([]);
    expect(code, resumed.output()).toBe(0);
    expect(resumed.output()).toContain('Resuming brightdesk (running); 1 unfinished job(s) to run first.');
    expect(branchSubjects(dir)).toEqual([
      'research: brightdesk (batch 1)',
      'auth: brightdesk (batch 1)',
      'implement: brightdesk (batch 1)',
      'test: brightdesk (batch 1)',
      'test: brightdesk (batch 1)',
      'docs_spec: brightdesk (batch 1)',
      'package: brightdesk (batch 1)',
      'package: regenerate the merged source of brightdesk',
    ]);
    expect(new Set(jobTrailers(dir)).size).toBe(8);
  }, 60_000);

  it('on a checkout without the connectors layout, warns and refuses without a terminal to ask; nothing is spent', async () => {
    const plain = await makePlainCheckout();
    try {
      const cli = spawnCli(['run', '--source', 'brightdesk', '--repo', plain], { env, input: 'a\n' });
      const code = await cli.exited;

      expect(code, cli.output()).toBe(1);
      expect(cli.output()).toContain(`warning: ${plain} does not have the connectors repository's layout`);
      expect(cli.output()).toContain(`(npx lakeflow-connector-bot doctor --repo ${plain} shows every check)`);
      expect(cli.output()).toContain('Refusing to start: standard input is not a terminal');
      expect(fake.requests).toHaveLength(0);
      expect(git(plain, 'branch', '--list', BRANCH)).toBe('');
      expect(existsSync(join(plain, '.git', 'lakeflow-connector-bot', 'jobs'))).toBe(false);
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
  }, 30_000);

  it('on a checkout without the connectors layout, --yes warns and goes on', async () => {
    const plain = await makePlainCheckout();
    try {
      const cli = spawnCli(['run', '--source', 'brightdesk', '--repo', plain, '--yes'], { env });
      await cli.waitForOutput('▶ research: running (attempt 1)…');
      cli.kill('SIGINT');
      await cli.exited;

      expect(cli.output()).toContain(`warning: ${plain} does not have the connectors repository's layout`);
      expect(cli.output()).toContain('--yes: going on anyway.');
      expect(cli.output()).toContain('Planned brightdesk on branch lakeflow-connector/brightdesk (batch 1).');
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
  }, 30_000);
});
