import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { appTestEnv } from '../helpers/app-env.js';
import { freePort } from '../helpers/free-port.js';
import { uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/worker-harness.js';

type Node = DefaultTreeAdapterMap['node'];

const OWNER = 'acme';
const REPO = 'connectors';
const FORM =
  '### Source name\n\nacme_crm\n\n### API documentation links\n\nhttps://developers.acme.example/api\n\n### Tables of interest\n\ncontacts\n\n### Notes\n\n_No response_\n';

/** `npm start` as a newcomer runs it, with only what `env` sets (plus PATH and HOME). */
function npmStart(env: Record<string, string>, output: string[] = []): ChildProcess {
  const child = spawn('npm', ['start', '--silent'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return child;
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function get(url: string): Promise<{ status: number; body: string } | null> {
  try {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(1_000) });
    return { status: response.status, body: await response.text() };
  } catch {
    return null;
  }
}

/** The value the setup page's Register button posts, read as a browser reads the form. */
function manifestOnPage(html: string): string | null {
  const find = (node: Node): string | null => {
    if ('attrs' in node) {
      const name = node.attrs.find((attr) => attr.name === 'name')?.value;
      const value = node.attrs.find((attr) => attr.name === 'value')?.value;
      if (name === 'manifest' && value !== undefined) return value;
    }
    for (const child of 'childNodes' in node ? node.childNodes : []) {
      const found = find(child);
      if (found !== null) return found;
    }
    return null;
  };
  return find(parse(html));
}

describe('npm start on a fresh machine', () => {
  let child: ChildProcess | undefined;
  let fake: FakeGitHub | undefined;

  afterEach(async () => {
    await stop(child);
    await fake?.close();
    fake = undefined;
  });

  it('with no GitHub App, serves the setup page whose Register button posts app.yml', async () => {
    const port = await freePort();
    const output: string[] = [];
    child = npmStart(
      { PORT: String(port), HOST: '127.0.0.1', NO_SMEE_SETUP: 'true', LOG_LEVEL: 'info' },
      output,
    );

    const page = await waitFor(
      async () => {
        if (child?.exitCode !== null) throw new Error(`npm start exited:\n${output.join('')}`);
        const answer = await get(`http://127.0.0.1:${port}/probot`);
        return answer?.status === 200 ? answer : null;
      },
      60_000,
      'the setup page',
    );

    const manifest = JSON.parse(manifestOnPage(page.body) ?? 'null') as { name?: string; url?: string };
    expect(manifest.name).toBe('lakeflow-connector-bot');
    expect((await get(`http://127.0.0.1:${port}/`))?.status).toBe(302);
  }, 90_000);

  it('with no Redis, and no Anthropic key, keeps runs on disk: takes a signed webhook, posts the plan, keeps the run across a restart, and a phase says to set the key', async () => {
    fake = await startFakeGitHub({ webhookSecret: 'trial-secret' });
    fake.addRepo({ owner: OWNER, repo: REPO });
    fake.addIssue({
      owner: OWNER,
      repo: REPO,
      number: 1,
      title: '[connector]: acme_crm',
      body: FORM,
      user: 'someone',
    });
    fake.setPermission(OWNER, REPO, 'maintainer', 'write');
    const dataDir = join(mkdtempSync(join(tmpdir(), 'trial-')), 'data');
    const port = await freePort();
    const env = appTestEnv({
      github: fake,
      prefix: uniquePrefix(),
      overrides: {
        // Redis runs on this machine; a trial user without one gets the same through `auto`.
        STORAGE: 'disk',
        DATA_DIR: dataDir,
        PORT: String(port),
        LOG_LEVEL: 'info',
      },
    });
    // A newcomer may have no Anthropic key yet: the bot still plans.
    delete env.ANTHROPIC_API_KEY;
    fake.webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;
    const output: string[] = [];
    child = npmStart(env, output);
    await waitFor(
      async () => (await get(`http://127.0.0.1:${port}/healthz`))?.status === 200,
      60_000,
      'boot',
    );
    expect(output.join('')).toContain('TRIAL MODE');
    expect(output.join('')).toContain('ANTHROPIC_API_KEY is not set');

    expect(
      await fake.sendWebhook('issues', fake.issueOpenedPayload({ owner: OWNER, repo: REPO, number: 1 })),
    ).toBeLessThan(300);
    const plan = await waitFor(
      async () =>
        fake?.comments(OWNER, REPO, 1).find((c) => c.body.startsWith('<!-- lakeflow-connector-bot:plan -->')),
      30_000,
      'the plan',
    );
    expect(plan.body).toContain('acme_crm');
    const runFiles = readdirSync(join(dataDir, 'runs'));
    expect(runFiles).toHaveLength(1);

    await stop(child);
    child = npmStart(env, output);
    await waitFor(
      async () => (await get(`http://127.0.0.1:${port}/healthz`))?.status === 200,
      60_000,
      'restart',
    );
    expect(
      await fake.sendWebhook(
        'issue_comment',
        fake.issueCommentCreatedPayload({
          owner: OWNER,
          repo: REPO,
          issue: 1,
          body: '/approve',
          user: 'maintainer',
        }),
      ),
    ).toBeLessThan(300);

    const runFile = join(dataDir, 'runs', runFiles[0] ?? '');
    // The run kept on disk takes the approval; its first phase then fails at once for want of a key.
    const failed = await waitFor(
      async () => {
        if (!existsSync(runFile)) return null;
        const stored = JSON.parse(readFileSync(runFile, 'utf8')) as {
          run: { status: { kind: string; reason?: string } };
        };
        return stored.run.status.kind === 'failed' ? stored : null;
      },
      30_000,
      'the run, kept across the restart, to run its first phase',
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}\n${readFileSync(runFile, 'utf8').slice(0, 600)}\n${output.join('').slice(-4000)}`,
      );
    });
    expect(failed.run.status.reason).toContain('No ANTHROPIC_API_KEY is set');
    fake.assertNoViolations();
  }, 180_000);
});
