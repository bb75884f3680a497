import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRef } from '../../src/domain/pipeline/run.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { redisUrl, uniquePrefix } from '../helpers/redis.js';
import {
  createWorkerHarness,
  issueFormBody,
  type WorkerHarness,
  waitFor,
} from '../helpers/worker-harness.js';

const CHILD = fileURLToPath(new URL('./fixtures/shared-worker-process.ts', import.meta.url));
const OWNER = 'acme';
const REPO = 'connectors';
const BOT = 'lakeflow-bot[bot]';
const SOURCES = [
  'alpha_crm',
  'beta_desk',
  'gamma_erp',
  'delta_ads',
  'eps_mail',
  'zeta_pay',
  'eta_hr',
  'theta_cms',
];

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the worker process did not exit in time')), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('two worker processes on one Redis', () => {
  let harness: WorkerHarness;
  let github: FakeGitHub;
  let children: ChildProcess[] = [];

  beforeEach(async () => {
    harness = createWorkerHarness(uniquePrefix());
    github = await startFakeGitHub({ botLogin: BOT });
    github.addRepo({ owner: OWNER, repo: REPO, files: { 'README.md': '# connectors\n' } });
    github.setPermission(OWNER, REPO, 'maintainer', 'write');
  });

  afterEach(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    children = [];
    await harness.close();
    await github.close();
  });

  it('share the runs of several issues, and every effect happens once', async () => {
    const env = {
      ...process.env,
      PREFIX: harness.prefix,
      REDIS_URL: redisUrl(),
      FAKE_GITHUB_URL: github.url,
      BOT_LOGIN: BOT,
      STAGE_MS: '600',
    };
    children = [0, 1].map(() =>
      spawn(process.execPath, ['--import', 'tsx', CHILD], { env, stdio: ['ignore', 'ignore', 'pipe'] }),
    );
    await waitFor(
      async () => (await harness.redis.llen(`${harness.prefix}:ready`)) === 2,
      20_000,
      'two ready workers',
    );
    const refs: RunRef[] = SOURCES.map((source, index) => {
      const issue = github.addIssue({
        owner: OWNER,
        repo: REPO,
        title: `[connector]: ${source}`,
        body: issueFormBody(source, 'contacts'),
        user: 'requester',
        labels: ['lakeflow-connector'],
      });
      return {
        installationId: github.installationId,
        owner: OWNER,
        repo: REPO,
        issue: issue.number ?? index + 1,
      };
    });

    await Promise.all(
      refs.map((ref) =>
        harness.jobs.enqueueEvent(`open-${ref.issue}`, {
          kind: 'issue_request',
          ref,
          repoUrl: `https://github.com/${OWNER}/${REPO}`,
          action: 'opened',
          body: issueFormBody(SOURCES[refs.indexOf(ref)] ?? '', 'contacts'),
        }),
      ),
    );
    for (const ref of refs)
      await waitFor(
        async () => (await harness.load(ref))?.run.status.kind === 'awaiting_plan_approval',
        20_000,
        'plans',
      );
    await Promise.all(
      refs.map((ref) => {
        const comment = github.addComment({
          owner: OWNER,
          repo: REPO,
          issue: ref.issue,
          body: '/approve',
          user: 'maintainer',
        });
        return harness.jobs.enqueueEvent(`approve-${ref.issue}`, {
          kind: 'command',
          ref,
          id: `approve-${ref.issue}`,
          command: { type: 'approve' },
          actor: 'maintainer',
          target: { kind: 'issue', number: ref.issue },
          commentId: comment.id,
          viaPullRequest: null,
        });
      }),
    );
    for (const ref of refs)
      await waitFor(
        async () => {
          const status = (await harness.load(ref))?.run.status;
          return (
            status?.kind === 'awaiting_approval' &&
            status.gate.kind === 'stage' &&
            status.gate.stage === 'research'
          );
        },
        30_000,
        `the research gate of #${ref.issue}`,
      );

    // The run is saved before its effects run: wait for the last PR, then for the workers to go quiet.
    await waitFor(async () => github.pulls(OWNER, REPO).length >= SOURCES.length, 15_000, 'every PR');
    await waitFor(
      async () => (await harness.redis.llen(`${harness.prefix}:stage-runs`)) >= SOURCES.length,
      5_000,
      'every stage run recorded',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    const stageRuns = (await harness.redis.lrange(`${harness.prefix}:stage-runs`, 0, -1)).map((line) =>
      line.split(' '),
    );
    const jobIds = stageRuns.map(([jobId]) => jobId);
    const pids = new Set(stageRuns.map(([, pid]) => pid));
    expect(jobIds.sort()).toEqual(refs.map((ref) => `${OWNER}-${REPO}-${ref.issue}-b1-research-a1`).sort());
    expect(pids.size).toBe(2);
    for (const ref of refs) {
      const bot = github.comments(OWNER, REPO, ref.issue).filter((comment) => comment.user === BOT);
      const markers = bot.map(
        (comment) => /^<!-- lakeflow-connector-bot:([\w-]+) -->/.exec(comment.body)?.[1],
      );
      expect(
        markers.filter((marker) => marker === 'plan'),
        `plan on #${ref.issue}`,
      ).toHaveLength(1);
      expect(
        markers.filter((marker) => marker === 'status'),
        `status on #${ref.issue}`,
      ).toHaveLength(1);
    }
    expect(github.pulls(OWNER, REPO)).toHaveLength(SOURCES.length);
    for (const source of SOURCES) {
      const commits = github.commitsOn(OWNER, REPO, `lakeflow-connector/${source}`);
      expect(commits.filter((commit) => commit.message.includes('Lakeflow-Job:'))).toHaveLength(1);
    }
    github.assertNoViolations();

    for (const child of children) child.kill('SIGTERM');
    expect(await Promise.all(children.map((child) => exited(child, 15_000)))).toEqual([0, 0]);
  });
});
