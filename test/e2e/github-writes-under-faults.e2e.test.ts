import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActionsCi } from '../../src/adapters/actions/actions-ci.js';
import { createKeyedSerializer } from '../../src/adapters/github/keyed-serializer.js';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { hasMarker, markBody } from '../../src/domain/render/markers.js';
import { StateConflictError } from '../../src/errors.js';
import { createLogger } from '../../src/logging.js';
import type { GitHubPort } from '../../src/ports/github.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import type { Fault } from '../fakes/fake-github/server.js';
import { testPrivateKey } from '../helpers/app-env.js';

const OWNER = 'acme';
const REPO = 'faulty';
const BOT = 'lakeflow-bot[bot]';

/**
 * Writes through the GitHub adapter with Octokit as deployed (bodies marked as the bot marks them) (Probot's retry and throttling
 * plugins on), against a fake GitHub that answers 502 after applying a write: a create is never
 * re-sent blindly, so nothing is created twice, and the caller still gets what was created.
 */
describe('GitHub writes with the production Octokit when GitHub fails after applying', () => {
  let fake: FakeGitHub;
  let github: GitHubPort;
  let probot: Probot;

  beforeAll(async () => {
    fake = await startFakeGitHub({ botLogin: BOT });
    fake.addRepo({ owner: OWNER, repo: REPO, files: { 'README.md': '# faulty\n' } });
    fake.addIssue({ owner: OWNER, repo: REPO, number: 1, title: 'x', body: 'x', user: 'someone' });
    probot = new Probot({
      appId: fake.appId,
      privateKey: testPrivateKey(),
      baseUrl: fake.url,
      Octokit: ProbotOctokit,
      log: pino({ level: 'silent' }),
    });
    const repo = { installationId: fake.installationId, owner: OWNER, repo: REPO };
    github = createOctokitGitHub({ repo, getOctokit: () => probot.auth(repo.installationId), botLogin: BOT });
    // Authenticate once, so the faults below meet only the writes.
    await github.upsertComment({ issue: 1, key: 'warm-up', body: 'warm-up' });
  }, 60_000);

  afterEach(() => {
    fake.faults = undefined;
    fake.assertNoViolations();
  });

  afterAll(async () => {
    await fake?.close();
  });

  /**
   * Two jobs of a run in one process (two adapters sharing one serializer) write at the same time,
   * with every GitHub answer slowed so both look before either creates.
   */
  async function inTwoJobsAtOnce(
    write: (port: GitHubPort, index: number) => Promise<unknown>,
  ): Promise<void> {
    fake.latencyMs = 200;
    const serializer = createKeyedSerializer();
    const repo = { installationId: fake.installationId, owner: OWNER, repo: REPO };
    const twoJobs = [1, 2].map(() =>
      createOctokitGitHub({
        repo,
        getOctokit: () => probot.auth(repo.installationId),
        botLogin: BOT,
        serializer,
      }),
    );
    try {
      await Promise.all(twoJobs.map(write));
    } finally {
      fake.latencyMs = 0;
    }
  }

  /** Fails the first request matching `operation` with `fault`, then lets everything through. */
  function failOnce(operation: string, fault: Fault): () => number {
    let hits = 0;
    fake.faults = (request) => {
      if (request.operation !== operation) return null;
      hits += 1;
      return hits === 1 ? fault : null;
    };
    return () => hits;
  }

  it('creates a comment once when the create answers 502 after it was applied', async () => {
    const hits = failOnce('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      when: 'after',
      status: 502,
    });

    const comment = await github.upsertComment({
      issue: 1,
      key: 'status',
      body: markBody('status', 'the status'),
    });

    const statuses = fake.comments(OWNER, REPO, 1).filter((item) => item.body.includes('the status'));
    expect(statuses).toHaveLength(1);
    expect(comment.id).toBe(statuses[0]?.id);
    expect(hits()).toBe(1);
  }, 30_000);

  it('creates a check run once when the create answers 502 after it was applied', async () => {
    const head = fake.pushCommit({
      owner: OWNER,
      repo: REPO,
      branch: 'work',
      message: 'x',
      files: { 'a.txt': 'a\n' },
    });
    const hits = failOnce('POST /repos/{owner}/{repo}/check-runs', { when: 'after', status: 502 });

    await github.upsertCheckRun({
      name: 'lakeflow-connector-bot / research',
      headSha: head,
      state: 'success',
      title: 'research: passed its check',
      summary: 'x',
    });

    const created = fake.received.filter(
      (request) => request.operation === 'POST /repos/{owner}/{repo}/check-runs' && request.status < 300,
    );
    expect(hits()).toBe(1);
    expect(created).toHaveLength(0);
    expect(fake.checkRuns(OWNER, REPO).filter((run) => run.headSha === head)).toHaveLength(1);
  }, 30_000);

  it('creates a check run once when two jobs of a run write it at the same time (one process)', async () => {
    const head = fake.pushCommit({
      owner: OWNER,
      repo: REPO,
      branch: 'together',
      message: 'x',
      files: { 'b.txt': 'b\n' },
    });
    await inTwoJobsAtOnce((port, index) =>
      port.upsertCheckRun({
        name: 'lakeflow-connector-bot / implement',
        headSha: head,
        state: index === 0 ? 'in_progress' : 'success',
        title: 'implement',
        summary: 'x',
      }),
    );

    const runs = fake.checkRuns(OWNER, REPO).filter((run) => run.headSha === head);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe('completed');
  }, 30_000);

  it('posts a marked comment once when two jobs of a run write it at the same time (one process)', async () => {
    await inTwoJobsAtOnce((port, index) =>
      port.upsertComment({
        issue: 1,
        key: 'summary-b1-research',
        body: markBody('summary-b1-research', `summary ${index}`),
      }),
    );

    const marked = fake
      .comments(OWNER, REPO, 1)
      .filter((comment) => hasMarker(comment.body, 'summary-b1-research'));
    expect(marked).toHaveLength(1);
  }, 30_000);

  it('starts the workflow once when the dispatch answers 502 after it was applied', async () => {
    const hits = failOnce('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      when: 'after',
      status: 502,
    });
    const ci = createActionsCi({
      octokit: () => probot.auth(fake.installationId),
      owner: OWNER,
      repo: REPO,
      workflowFile: 'lakeflow-connector-tests.yml',
      log: createLogger({ level: 'silent' }),
    });

    // The caller (the dispatch effect) looks the run up by its key before it dispatches again.
    await expect(
      ci.dispatch({ branch: 'main', source: 'x', mode: 'simulate', runKey: 'k-1' }),
    ).rejects.toThrow(/502/);

    expect(hits()).toBe(1);
    expect(fake.dispatches.filter((dispatch) => dispatch.inputs.run_key === 'k-1')).toHaveLength(1);
  }, 30_000);

  it('commits once when createCommitOnBranch answers 502 after it was applied, and returns that commit', async () => {
    const base = fake.pushCommit({
      owner: OWNER,
      repo: REPO,
      branch: 'committed',
      message: 'x',
      files: { 'c.txt': 'c\n' },
    });
    let hits = 0;
    fake.faults = (request) => {
      if (request.graphql !== 'createCommitOnBranch') return null;
      hits += 1;
      return hits === 1 ? { when: 'after', status: 502 } : null;
    };

    const { sha } = await github.commitFiles({
      branch: 'committed',
      expectedHeadSha: base,
      message: 'implement: x\n\nLakeflow-Job: faulty-1-implement-a1',
      changes: [{ path: 'd.txt', content: 'd\n' }],
    });

    const [head, parent] = fake.commitsOn(OWNER, REPO, 'committed');
    expect(hits).toBe(1);
    expect([head?.sha, parent?.sha]).toEqual([sha, base]);
    expect(fake.filesAt(OWNER, REPO, 'committed')['d.txt']).toBe('d\n');
  }, 30_000);

  it('reports a moved head as StateConflictError through the production Octokit', async () => {
    const base = fake.pushCommit({
      owner: OWNER,
      repo: REPO,
      branch: 'moved',
      message: 'x',
      files: { 'm.txt': 'm\n' },
    });
    fake.pushCommit({ owner: OWNER, repo: REPO, branch: 'moved', message: 'y', files: { 'm.txt': 'n\n' } });

    const commit = github.commitFiles({
      branch: 'moved',
      expectedHeadSha: base,
      message: 'm',
      changes: [{ path: 'e.txt', content: 'e\n' }],
    });

    await expect(commit).rejects.toBeInstanceOf(StateConflictError);
  }, 30_000);

  it('still creates the comment when the 502 came before anything was applied', async () => {
    failOnce('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { when: 'before', status: 502 });

    await expect(
      github.upsertComment({ issue: 1, key: 'summary', body: markBody('summary', 'a summary') }),
    ).rejects.toThrow();
    await github.upsertComment({ issue: 1, key: 'summary', body: markBody('summary', 'a summary') });

    expect(fake.comments(OWNER, REPO, 1).filter((item) => item.body.includes('a summary'))).toHaveLength(1);
  }, 30_000);
});
