import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMOKE_STEPS } from '../../scripts/smoke-live/checklist.js';
import { type App, startApp } from '../../src/app.js';
import { parseStateMarker, renderMarker } from '../../src/domain/render/markers.js';
import {
  type FakeAnthropic,
  type FakeAnthropicRequest,
  type FakeError,
  type FakeReply,
  startFakeAnthropic,
} from '../fakes/fake-anthropic-server.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { brightdeskModel, PATHS, SOURCE } from '../fixtures/transcripts/brightdesk/index.js';
import { appTestEnv, testPrivateKey } from '../helpers/app-env.js';
import { AppTestOctokit } from '../helpers/app-octokit.js';
import { fixtureFiles } from '../helpers/fixture-files.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const SCRIPT = join(ROOT, 'scripts/smoke-live.ts');
const OWNER = 'acme';
const REPO = 'connectors';
const BOT = 'lakeflow-bot[bot]';
const MAINTAINER = 'maintainer';
const TOKEN = 'ghp_smoke_maintainer';
const WORKFLOW = '.github/workflows/lakeflow-connector-tests.yml';
const BRIGHTDESK = ['--source', SOURCE, '--docs', 'https://developer.brightdesk.example/api'];

interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `scripts/smoke-live.ts` as `npm run smoke:live` does (tsx), in an empty folder so no `.env`
 * is read, with only the variables given (and PATH and HOME).
 */
function runSmoke(args: string[], env: Record<string, string>): Promise<ScriptResult> {
  const cwd = mkdtempSync(join(tmpdir(), 'lcb-smoke-'));
  return new Promise((done) => {
    execFile(
      process.execPath,
      [TSX, SCRIPT, ...args],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env },
        timeout: 170_000,
      },
      (error, stdout, stderr) => {
        rmSync(cwd, { recursive: true, force: true });
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        done({ code, stdout, stderr });
      },
    );
  });
}

describe('npm run smoke:live against the real app, the fake GitHub and the fake Messages API', () => {
  let github: FakeGitHub;
  let anthropic: FakeAnthropic;
  let app: App;
  let redis: Redis;
  let prefix: string;
  let env: Record<string, string>;
  /** Research answers 400 (a request the API will never take): the stage fails for good. */
  let researchFails = false;

  beforeAll(async () => {
    github = await startFakeGitHub({ webhookSecret: 'smoke-live-secret', botLogin: BOT });
    const files = { ...(await fixtureFiles()), [WORKFLOW]: await readFile(WORKFLOW, 'utf8') };
    github.addRepo({ owner: OWNER, repo: REPO, files });
    github.addRepo({ owner: OWNER, repo: 'elsewhere', files, installed: false });
    github.addRepo({ owner: OWNER, repo: 'read-only', files });
    github.addRepo({ owner: OWNER, repo: 'failing', files });
    github.addRepo({ owner: OWNER, repo: 'silent', files });
    for (const repo of [REPO, 'elsewhere', 'failing', 'silent'])
      github.setPermission(OWNER, repo, MAINTAINER, 'write');
    github.setPermission(OWNER, 'read-only', MAINTAINER, 'triage');
    github.addPersonToken(MAINTAINER, TOKEN);
    const answer = brightdeskModel().turn as (request: FakeAnthropicRequest) => FakeReply | FakeError;
    anthropic = await startFakeAnthropic();
    anthropic.script(
      ...Array.from(
        { length: 40 },
        () => (request: FakeAnthropicRequest) =>
          researchFails ? { status: 400, message: 'smoke test: this research is refused' } : answer(request),
      ),
    );
    prefix = uniquePrefix();
    redis = createTestRedis();
    app = await startApp({
      env: appTestEnv({ github, prefix, overrides: { ANTHROPIC_BASE_URL: anthropic.url } }),
      Octokit: AppTestOctokit,
    });
    github.webhookUrl = `http://127.0.0.1:${app.port}/api/github/webhooks`;
    env = {
      SMOKE_GITHUB_TOKEN: TOKEN,
      APP_ID: String(github.appId),
      PRIVATE_KEY: testPrivateKey(),
      GITHUB_API_URL: github.url,
    };
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await anthropic?.close();
    await github?.close();
    if (redis) {
      await deleteKeysByPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  it('passes every step: request, plan, /approve, research summary, /cancel, cancelled', async () => {
    const result = await runSmoke(
      ['--repo', `${OWNER}/${REPO}`, ...BRIGHTDESK, '--poll-seconds', '0.2', '--research-minutes', '2'],
      env,
    );

    expect(result.code, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const checked = lines.filter((line) => /^\[[ \dhms]+\] [✓✗]/.test(line));
    expect(checked.map((line) => line.replace(/^\[[^\]]+\] /, '').split(':')[0])).toEqual(
      SMOKE_STEPS.map((step) => `✓ ${step}`),
    );
    expect(result.stdout).toContain(`PASS: ${SMOKE_STEPS.length} of ${SMOKE_STEPS.length} steps`);
    expect(result.stdout).toContain('Left on acme/connectors for you to remove:');

    const issue = github.state.requireRepo(OWNER, REPO).issues.get(1);
    expect(issue).toMatchObject({ user: MAINTAINER, title: `[connector]: ${SOURCE} (smoke:live)` });
    const comments = github.comments(OWNER, REPO, 1);
    const commands = comments.filter((comment) => comment.user === MAINTAINER).map((comment) => comment.body);
    expect(commands).toEqual(['/lakeflow approve', '/lakeflow cancel']);
    const status = comments.find(
      (comment) => comment.user === BOT && comment.body.startsWith(renderMarker('status')),
    );
    const run = parseStateMarker(status?.body ?? '');
    expect(run?.status).toEqual({ kind: 'cancelled', by: MAINTAINER });
    const research = run?.batch.stages.research;
    expect(research?.state).toBe('done');
    expect(github.filesAt(OWNER, REPO, research?.commitSha ?? 'missing')[PATHS.apiDoc]).toBeDefined();
    expect(result.stdout).toContain(`draft PR #${run?.pullRequest}`);
    github.assertNoViolations();
  }, 180_000);

  it('fails the step research stopped at, still cancels the run and says what is left', async () => {
    researchFails = true;

    const result = await runSmoke(
      ['--repo', `${OWNER}/failing`, ...BRIGHTDESK, '--poll-seconds', '0.2'],
      env,
    );

    expect(result.code, result.stdout + result.stderr).toBe(1);
    const afterTime = result.stdout.split('\n').map((line) => line.replace(/^\[[^\]]+\] /, ''));
    expect(afterTime).toContainEqual(
      expect.stringMatching(/^✗ research summary posted: the run is failed in research: /),
    );
    expect(afterTime).toContainEqual(
      expect.stringMatching(
        /^· clean-up: maintainer commented http:\S+\/acme\/failing\/issues\/1#issuecomment-\d+$/,
      ),
    );
    expect(afterTime).toContain('· clean-up: the run is cancelled by maintainer');
    expect(result.stdout).toContain('FAIL at "research summary posted": 6 of 9 steps passed');
    expect(result.stdout).toContain('Left on acme/failing for you to remove:');
    const comments = github.comments(OWNER, 'failing', 1);
    expect(comments.filter((comment) => comment.user === MAINTAINER).map((comment) => comment.body)).toEqual([
      '/lakeflow approve',
      '/lakeflow cancel',
    ]);
    const status = comments.find(
      (comment) => comment.user === BOT && comment.body.startsWith(renderMarker('status')),
    );
    expect(parseStateMarker(status?.body ?? '')?.status).toEqual({ kind: 'cancelled', by: MAINTAINER });
    github.assertNoViolations();
  }, 180_000);

  it('stops at Ctrl-C, still writes /cancel, and exits 130', async () => {
    // The App hears nothing, so the plan never comes and the smoke run waits for it.
    const webhookUrl = github.webhookUrl;
    github.webhookUrl = undefined;
    try {
      const child = spawn(process.execPath, [TSX, SCRIPT, '--repo', `${OWNER}/silent`, ...BRIGHTDESK], {
        cwd: tmpdir(),
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
      });
      let stdout = '';
      let interrupted = false;
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (interrupted || !stdout.includes('✓ request opened')) return;
        interrupted = true; // once: a second Ctrl-C quits at once, without the clean-up
        child.kill('SIGINT');
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

      expect(code, stdout).toBe(130);
      expect(stdout).toMatch(/✗ plan posted: interrupted\n/);
      expect(stdout).toMatch(/· clean-up: maintainer commented \S+#issuecomment-\d+\n/);
      expect(stdout).toContain('· clean-up: no plan was approved, so nothing was spent');
      expect(github.comments(OWNER, 'silent', 1).map((comment) => comment.body)).toEqual([
        '/lakeflow cancel',
      ]);
    } finally {
      github.webhookUrl = webhookUrl;
    }
  }, 60_000);

  it('refuses without --repo, writing nothing', async () => {
    const result = await runSmoke(BRIGHTDESK, env);

    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^smoke:live: refusing to run without --repo owner\/name: [^\n]+$/);
    expect(result.stdout).toBe('');
  });

  it('refuses without the person token, writing nothing', async () => {
    const { SMOKE_GITHUB_TOKEN: _token, ...withoutToken } = env;

    const result = await runSmoke(['--repo', `${OWNER}/${REPO}`, ...BRIGHTDESK], withoutToken);

    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^smoke:live: refusing to run: SMOKE_GITHUB_TOKEN is not set: [^\n]+$/,
    );
  });

  it('refuses a repository the App is not installed on, writing nothing', async () => {
    const result = await runSmoke(['--repo', `${OWNER}/elsewhere`, ...BRIGHTDESK], env);

    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'smoke:live: refusing to run: the App lakeflow-bot is not installed on acme/elsewhere: install it there (a scratch repository) and run again',
    );
    expect(github.state.requireRepo(OWNER, 'elsewhere').issues.size).toBe(0);
  });

  it('refuses when the person may not /approve there, writing nothing', async () => {
    const result = await runSmoke(['--repo', `${OWNER}/read-only`, ...BRIGHTDESK], env);

    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'smoke:live: refusing to run: maintainer (SMOKE_GITHUB_TOKEN) has triage access on acme/read-only: /approve needs write access',
    );
    expect(github.state.requireRepo(OWNER, 'read-only').issues.size).toBe(0);
  });
});
