import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '@octokit/webhooks-methods';
import { ProbotOctokit } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { ExternalServiceError } from '../../src/errors.js';
import { type FakeGitHub, fakeGitHubRoutes, startFakeGitHub } from '../fakes/fake-github/index.js';
import { checkSchema } from '../fakes/fake-github/json-schema-check.js';
import { loadOpenApiSpec } from '../fakes/fake-github/openapi-spec.js';

const owner = 'acme';
const repo = 'connectors';
const clock = () => new Date('2025-03-01T12:00:00Z');

/** A real Probot Octokit pointed at the fake, with retries and throttling off. */
function octokitFor(fake: FakeGitHub, auth: Record<string, unknown> = { token: 'test-token' }) {
  return new ProbotOctokit({
    auth,
    baseUrl: fake.url,
    retry: { enabled: false },
    throttle: { enabled: false },
  });
}

/** The status of a failed Octokit call (a `RequestError`), or fails the test if it succeeded. */
async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    return (error as { status: number }).status;
  }
  throw new Error('expected the request to fail');
}

describe('startFakeGitHub', () => {
  let fake: FakeGitHub;
  let octokit: ReturnType<typeof octokitFor>;

  beforeEach(async () => {
    fake = await startFakeGitHub({ now: clock, webhookSecret: 'shh' });
    fake.addRepo({ owner, repo, files: { 'README.md': '# connectors\n', 'src/old.py': 'old = 1\n' } });
    fake.addIssue({ owner, repo, number: 7, title: 'New connector: Acme', body: 'please', user: 'alice' });
    octokit = octokitFor(fake);
  });

  afterEach(async () => {
    try {
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  it('answers every request after its latency when one is set (a slow GitHub)', async () => {
    await octokit.rest.issues.get({ owner, repo, issue_number: 7 });
    fake.latencyMs = 300;
    const started = performance.now();
    await octokit.rest.issues.get({ owner, repo, issue_number: 7 });
    const slow = performance.now() - started;
    fake.latencyMs = 0;
    const again = performance.now();
    await octokit.rest.issues.get({ owner, repo, issue_number: 7 });

    const fast = performance.now() - again;

    expect(slow).toBeGreaterThanOrEqual(295);
    expect(fast).toBeLessThan(slow - 200);
  });

  describe('when the bot comments', () => {
    it('creates, edits and lists comments page by page', async () => {
      const first = await octokit.rest.issues.createComment({ owner, repo, issue_number: 7, body: 'one' });
      await octokit.rest.issues.createComment({ owner, repo, issue_number: 7, body: 'two' });
      await octokit.rest.issues.createComment({ owner, repo, issue_number: 7, body: 'three' });

      await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: first.data.id,
        body: 'one, edited',
      });
      const page = await octokit.rest.issues.listComments({ owner, repo, issue_number: 7, per_page: 2 });
      const all = await octokit.paginate(octokit.rest.issues.listComments, {
        owner,
        repo,
        issue_number: 7,
        per_page: 2,
      });

      expect(first.status).toBe(201);
      expect(first.data.user?.login).toBe(fake.botLogin);
      expect(page.data).toHaveLength(2);
      expect(page.headers.link).toContain('rel="next"');
      expect(all.map((comment) => comment.body)).toEqual(['one, edited', 'two', 'three']);
      expect(fake.comments(owner, repo, 7).map((comment) => comment.body)).toEqual([
        'one, edited',
        'two',
        'three',
      ]);
    });

    it('deletes a comment and reacts to another once per content', async () => {
      const kept = fake.addComment({ owner, repo, issue: 7, body: '/approve', user: 'alice' });
      const gone = await octokit.rest.issues.createComment({ owner, repo, issue_number: 7, body: 'bye' });

      await octokit.rest.issues.deleteComment({ owner, repo, comment_id: gone.data.id });
      const created = await octokit.rest.reactions.createForIssueComment({
        owner,
        repo,
        comment_id: kept.id,
        content: 'eyes',
      });
      const again = await octokit.rest.reactions.createForIssueComment({
        owner,
        repo,
        comment_id: kept.id,
        content: 'eyes',
      });

      expect(fake.comments(owner, repo, 7).map((comment) => comment.id)).toEqual([kept.id]);
      expect([created.status, again.status]).toEqual([201, 200]);
      expect(fake.reactions(owner, repo, kept.id)).toHaveLength(1);
    });

    it('reads an issue with the labels added to it', async () => {
      await octokit.rest.issues.addLabels({
        owner,
        repo,
        issue_number: 7,
        labels: ['connector', 'needs-approval'],
      });
      await octokit.rest.issues.removeLabel({ owner, repo, issue_number: 7, name: 'needs-approval' });

      const issue = await octokit.rest.issues.get({ owner, repo, issue_number: 7 });
      const missing = await statusOf(
        octokit.rest.issues.removeLabel({ owner, repo, issue_number: 7, name: 'nope' }),
      );

      expect(issue.data).toMatchObject({ number: 7, body: 'please', user: { login: 'alice' } });
      expect(issue.data.labels).toEqual([expect.objectContaining({ name: 'connector' })]);
      expect(missing).toBe(404);
    });

    it('opens, edits, closes and lists issues, filtered by creator and state, oldest first when asked', async () => {
      const opened = await octokit.rest.issues.create({ owner, repo, title: 'Runs', body: 'one' });
      await octokit.rest.issues.update({ owner, repo, issue_number: opened.data.number, body: 'two' });
      await octokit.rest.issues.update({ owner, repo, issue_number: 7, state: 'closed' });

      const list = (params: { creator?: string; state?: 'open' | 'closed' | 'all' }) =>
        octokit.rest.issues
          .listForRepo({ owner, repo, sort: 'created', direction: 'asc', ...params })
          .then((response) => response.data.map((issue) => [issue.number, issue.state, issue.body]));

      expect(opened.status).toBe(201);
      expect(opened.data.user?.login).toBe(fake.botLogin);
      expect(await list({ state: 'all' })).toEqual([
        [7, 'closed', 'please'],
        [opened.data.number, 'open', 'two'],
      ]);
      expect(await list({})).toEqual([[opened.data.number, 'open', 'two']]);
      expect(await list({ creator: 'alice', state: 'all' })).toEqual([[7, 'closed', 'please']]);
      expect(fake.issues(owner, repo).map((issue) => issue.title)).toEqual(['New connector: Acme', 'Runs']);
    });

    it('answers 404 for a permission lookup of a non-collaborator', async () => {
      fake.setPermission(owner, repo, 'bob', 'maintain');

      const bob = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: 'bob' });
      const carol = await statusOf(
        octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: 'carol' }),
      );

      expect([bob.data.permission, bob.data.role_name]).toEqual(['write', 'maintain']);
      expect(carol).toBe(404);
    });
  });

  describe('when the bot commits through the git data API', () => {
    async function commitOnNewBranch(branch: string) {
      const main = await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' });
      const base = await octokit.rest.git.getCommit({ owner, repo, commit_sha: main.data.object.sha });
      await octokit.rest.git.createRef({
        owner,
        repo,
        ref: `refs/heads/${branch}`,
        sha: main.data.object.sha,
      });
      const text = await octokit.rest.git.createBlob({
        owner,
        repo,
        content: 'print("hi")\n',
        encoding: 'utf-8',
      });
      const binary = await octokit.rest.git.createBlob({
        owner,
        repo,
        content: Buffer.from('name: acme\n').toString('base64'),
        encoding: 'base64',
      });
      const tree = await octokit.rest.git.createTree({
        owner,
        repo,
        base_tree: base.data.tree.sha,
        tree: [
          { path: 'src/acme/connector.py', mode: '100644', type: 'blob', sha: text.data.sha },
          { path: 'src/acme/spec.yaml', mode: '100644', type: 'blob', sha: binary.data.sha },
          { path: 'src/old.py', mode: '100644', type: 'blob', sha: null },
        ],
      });
      const commit = await octokit.rest.git.createCommit({
        owner,
        repo,
        message: 'Add Acme connector',
        tree: tree.data.sha,
        parents: [main.data.object.sha],
      });
      await octokit.rest.git.updateRef({
        owner,
        repo,
        ref: `heads/${branch}`,
        sha: commit.data.sha,
        force: false,
      });
      return { parent: main.data.object.sha, head: commit.data.sha };
    }

    it('commits two files on a new branch and serves them through contents', async () => {
      const { parent, head } = await commitOnNewBranch('connector/acme');

      const file = await octokit.rest.repos.getContent({
        owner,
        repo,
        path: 'src/acme/spec.yaml',
        ref: 'connector/acme',
      });
      const missing = await statusOf(
        octokit.rest.repos.getContent({ owner, repo, path: 'src/old.py', ref: head }),
      );
      const commits = await octokit.rest.repos.listCommits({
        owner,
        repo,
        sha: 'connector/acme',
        per_page: 10,
      });
      const dir = await octokit.rest.repos.getContent({ owner, repo, path: 'src', ref: 'connector/acme' });

      expect(fake.filesAt(owner, repo, 'connector/acme')).toEqual({
        'README.md': '# connectors\n',
        'src/acme/connector.py': 'print("hi")\n',
        'src/acme/spec.yaml': 'name: acme\n',
      });
      expect(fake.filesAt(owner, repo, parent)).toHaveProperty('src/old.py');
      expect('content' in file.data && Buffer.from(file.data.content, 'base64').toString()).toBe(
        'name: acme\n',
      );
      expect(missing).toBe(404);
      expect(Array.isArray(dir.data) && dir.data.map((entry) => [entry.name, entry.type])).toEqual([
        ['acme', 'dir'],
      ]);
      expect(commits.data.map((commit) => commit.commit.message)).toEqual([
        'Add Acme connector',
        'Initial commit',
      ]);
      expect(fake.commitsOn(owner, repo, 'connector/acme')).toEqual([
        { sha: head, message: 'Add Acme connector', parents: [parent] },
        { sha: parent, message: 'Initial commit', parents: [] },
      ]);
    });

    it('serves a commit as GitHub does its tarball: a redirect, then a gzipped tar under owner-repo-sha/', async () => {
      const { head } = await commitOnNewBranch('connector/acme');
      const main = await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' });
      const base = await octokit.rest.git.getCommit({ owner, repo, commit_sha: main.data.object.sha });
      const tree = await octokit.rest.git.createTree({
        owner,
        repo,
        base_tree: base.data.tree.sha,
        tree: [
          { path: 'tools/run.sh', mode: '100755', type: 'blob', content: '#!/bin/sh\n' },
          { path: 'docs/readme-link', mode: '120000', type: 'blob', content: '../README.md' },
        ],
      });
      const linked = await octokit.rest.git.createCommit({
        owner,
        repo,
        message: 'Tools',
        tree: tree.data.sha,
        parents: [main.data.object.sha],
      });
      const github = createOctokitGitHub({
        repo: { installationId: 1, owner, repo },
        getOctokit: async () => octokit,
        botLogin: 'bot[bot]',
      });

      const files = await github.readTree({ sha: head });
      const other = await github.readTree({ sha: linked.data.sha });

      expect(
        Object.fromEntries(
          [...files].map(([path, file]) => [path, file.body.kind === 'text' && file.body.text]),
        ),
      ).toEqual(fake.filesAt(owner, repo, head));
      expect(other.get('tools/run.sh')).toMatchObject({ mode: '100755', body: { kind: 'text' } });
      expect(other.get('docs/readme-link')).toMatchObject({
        mode: '120000',
        body: { kind: 'symlink', target: '../README.md' },
      });
      const downloads = fake.received.filter((request) => /tarball|codeload/.test(request.path));
      expect(downloads.map((request) => [request.status, request.operation])).toEqual([
        [302, 'GET /repos/{owner}/{repo}/tarball/{ref}'],
        [200, 'GET /_fake/codeload/{owner}/{repo}/legacy.tar.gz/{sha}'],
        [302, 'GET /repos/{owner}/{repo}/tarball/{ref}'],
        [200, 'GET /_fake/codeload/{owner}/{repo}/legacy.tar.gz/{sha}'],
      ]);
      expect(downloads[1]?.path).toBe(`/_fake/codeload/${owner}/${repo}/legacy.tar.gz/${head}`);
      expect(
        await statusOf(octokit.rest.repos.downloadTarballArchive({ owner, repo, ref: 'f'.repeat(40) })),
      ).toBe(404);
    });

    it('fails a tarball download like any request, at the redirect or at the archive host', async () => {
      const { head } = await commitOnNewBranch('connector/acme');
      const github = createOctokitGitHub({
        repo: { installationId: 1, owner, repo },
        getOctokit: async () => octokit,
        botLogin: 'bot[bot]',
      });
      fake.faults = ({ path }) => (path.includes('/tarball/') ? { when: 'before', status: 502 } : null);
      await expect(github.readTree({ sha: head })).rejects.toBeInstanceOf(ExternalServiceError);
      fake.faults = ({ path }) => (path.includes('/codeload/') ? { when: 'before', status: 503 } : null);
      await expect(github.readTree({ sha: head })).rejects.toBeInstanceOf(ExternalServiceError);
      fake.faults = undefined;
      expect((await github.readTree({ sha: head })).has('src/acme/spec.yaml')).toBe(true);
      expect((await github.readTree({ sha: head })).has('src/acme/spec.yaml')).toBe(true);
      expect(
        fake.received.filter((request) => request.path.includes('/tarball/')).map((r) => r.status),
      ).toEqual([502, 302, 302]);
    });

    it('answers 422 to a ref update that is not a fast-forward', async () => {
      const { parent } = await commitOnNewBranch('connector/acme');
      const pushed = fake.pushCommit({
        owner,
        repo,
        branch: 'main',
        message: 'Unrelated',
        files: { 'x.txt': 'x' },
      });

      const rewind = await statusOf(
        octokit.rest.git.updateRef({ owner, repo, ref: 'heads/connector/acme', sha: parent }),
      );
      const sideways = await statusOf(
        octokit.rest.git.updateRef({ owner, repo, ref: 'heads/connector/acme', sha: pushed }),
      );
      const forced = await octokit.rest.git.updateRef({
        owner,
        repo,
        ref: 'heads/connector/acme',
        sha: parent,
        force: true,
      });
      const missingRef = await statusOf(octokit.rest.git.getRef({ owner, repo, ref: 'heads/nope' }));

      expect([rewind, sideways, forced.status, missingRef]).toEqual([422, 422, 200, 404]);
    });
  });

  describe('when the bot opens a pull request', () => {
    it('opens a draft, labels it, marks it ready through GraphQL and requests reviewers', async () => {
      fake.pushCommit({ owner, repo, branch: 'connector/acme', message: 'Add Acme', files: { 'a.py': 'a' } });
      fake.setPermission(owner, repo, 'reviewer', 'write');
      const opened = await octokit.rest.pulls.create({
        owner,
        repo,
        head: 'connector/acme',
        base: 'main',
        title: 'Add Acme',
        body: 'Closes #7',
        draft: true,
      });

      const duplicate = await statusOf(
        octokit.rest.pulls.create({ owner, repo, head: 'connector/acme', base: 'main', title: 'again' }),
      );
      await octokit.rest.issues.addLabels({
        owner,
        repo,
        issue_number: opened.data.number,
        labels: ['connector'],
      });
      const found = await octokit.rest.pulls.list({
        owner,
        repo,
        head: `${owner}:connector/acme`,
        state: 'open',
      });
      await octokit.graphql(
        'mutation($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } } }',
        { id: opened.data.node_id },
      );
      await octokit.rest.pulls.requestReviewers({
        owner,
        repo,
        pull_number: opened.data.number,
        reviewers: ['reviewer'],
      });
      const read = await octokit.rest.pulls.get({ owner, repo, pull_number: opened.data.number });

      expect(opened.data.draft).toBe(true);
      expect(duplicate).toBe(422);
      expect(found.data.map((pull) => pull.number)).toEqual([opened.data.number]);
      expect(read.data.draft).toBe(false);
      expect(read.data.changed_files).toBe(1);
      expect(fake.pulls(owner, repo)).toEqual([
        expect.objectContaining({
          number: 8,
          draft: false,
          labels: ['connector'],
          requestedReviewers: ['reviewer'],
        }),
      ]);
    });

    it('answers a GraphQL error for an unknown pull request id', async () => {
      const failure = octokit.graphql(
        'mutation { markPullRequestReadyForReview(input: { pullRequestId: "PR_nope" }) { clientMutationId } }',
      );

      await expect(failure).rejects.toThrow(/Could not resolve to a node/);
    });
  });

  describe('when the bot reports a check run', () => {
    it('creates and updates it, and lists it by commit', async () => {
      const head = fake.commitsOn(owner, repo, 'main')[0]?.sha ?? '';
      const created = await octokit.rest.checks.create({
        owner,
        repo,
        name: 'lakeflow/test',
        head_sha: head,
        status: 'in_progress',
        output: { title: 'Testing', summary: 'running' },
      });

      await octokit.rest.checks.update({ owner, repo, check_run_id: created.data.id, conclusion: 'success' });
      const listed = await octokit.rest.checks.listForRef({
        owner,
        repo,
        ref: 'main',
        check_name: 'lakeflow/test',
      });

      expect(listed.data.total_count).toBe(1);
      expect(listed.data.check_runs[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
      expect(fake.checkRuns(owner, repo)).toEqual([
        expect.objectContaining({
          name: 'lakeflow/test',
          headSha: head,
          title: 'Testing',
          completedAt: '2025-03-01T12:00:00Z',
        }),
      ]);
    });
  });

  describe('when the bot uses Actions', () => {
    it('records a dispatch, lists the run it started and redirects the artifact download', async () => {
      fake.onDispatch = (dispatch) => {
        const run = fake.addWorkflowRun({
          owner,
          repo,
          workflow: dispatch.workflowId,
          headBranch: dispatch.ref,
        });
        fake.updateWorkflowRun(owner, repo, run.id, { status: 'completed', conclusion: 'success' });
        fake.addArtifact({
          owner,
          repo,
          runId: run.id,
          name: 'results',
          zip: Buffer.from('PK\u0003\u0004zip'),
        });
      };

      await octokit.rest.actions.createWorkflowDispatch({
        owner,
        repo,
        workflow_id: 'ci.yml',
        ref: 'main',
        inputs: { x: '1' },
      });
      const runs = await octokit.rest.actions.listWorkflowRunsForRepo({
        owner,
        repo,
        branch: 'main',
        event: 'workflow_dispatch',
        created: '>=2025-03-01',
      });
      const run = runs.data.workflow_runs[0];
      const artifacts = await octokit.rest.actions.listWorkflowRunArtifacts({
        owner,
        repo,
        run_id: run?.id ?? 0,
      });
      const zip = await octokit.rest.actions.downloadArtifact({
        owner,
        repo,
        artifact_id: artifacts.data.artifacts[0]?.id ?? 0,
        archive_format: 'zip',
      });
      const none = await octokit.rest.actions.listWorkflowRunsForRepo({
        owner,
        repo,
        created: '<2025-03-01',
      });

      expect(fake.dispatches).toEqual([
        { owner, repo, workflowId: 'ci.yml', ref: 'main', inputs: { x: '1' } },
      ]);
      expect(run).toMatchObject({
        path: '.github/workflows/ci.yml',
        conclusion: 'success',
        head_branch: 'main',
      });
      expect(Buffer.from(zip.data as ArrayBuffer).toString()).toBe('PK\u0003\u0004zip');
      expect(none.data.total_count).toBe(0);
    });
  });

  describe('when a GitHub App authenticates', () => {
    it('hands out an installation token for a JWT and serves GET /app', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      const app = octokitFor(fake, { appId: fake.appId, privateKey: pem });
      const installation = octokitFor(fake, {
        appId: fake.appId,
        privateKey: pem,
        installationId: fake.installationId,
      });

      const self = await app.rest.apps.getAuthenticated();
      const repository = await installation.rest.repos.get({ owner, repo });

      expect(self.data?.slug).toBe('lakeflow-connector-bot');
      expect(repository.data.default_branch).toBe('main');
      expect(fake.received.map((request) => `${request.method} ${request.path} ${request.status}`)).toContain(
        `POST /app/installations/${fake.installationId}/access_tokens 201`,
      );
    });
  });

  describe('when a person acts with their own token', () => {
    /** Starts a receiver for the App's webhooks; returns the deliveries it got and a stop function. */
    async function receiveWebhooks() {
      const deliveries: Array<{ event: string; payload: Record<string, unknown> }> = [];
      const receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          deliveries.push({
            event: String(req.headers['x-github-event']),
            payload: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          });
          res.writeHead(202).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      fake.webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
      return {
        deliveries,
        until: async (count: number) => {
          for (let i = 0; i < 200 && deliveries.length < count; i += 1)
            await new Promise((resolve) => setTimeout(resolve, 10));
        },
        stop: () => new Promise<void>((resolve) => receiver.close(() => resolve())),
      };
    }

    it('names the person on GET /user and refuses the App there', async () => {
      fake.addPersonToken('alice', 'ghp_alice');

      const me = await octokitFor(fake, { token: 'ghp_alice' }).rest.users.getAuthenticated();
      const asApp = await statusOf(octokit.rest.users.getAuthenticated());

      expect(me.data.login).toBe('alice');
      expect(asApp).toBe(403);
    });

    it("records the issue and the comment as the person's and delivers both to the App", async () => {
      fake.addPersonToken('alice', 'ghp_alice');
      fake.setPermission(owner, repo, 'alice', 'write');
      const alice = octokitFor(fake, { token: 'ghp_alice' });
      const receiver = await receiveWebhooks();
      try {
        const issue = await alice.rest.issues.create({
          owner,
          repo,
          title: 'Acme',
          body: 'b',
          labels: ['x'],
        });
        const comment = await alice.rest.issues.createComment({
          owner,
          repo,
          issue_number: issue.data.number,
          body: '/approve',
        });
        const byBot = await octokit.rest.issues.createComment({
          owner,
          repo,
          issue_number: issue.data.number,
          body: 'hello',
        });
        await receiver.until(2);

        expect(issue.data).toMatchObject({ number: 8, user: { login: 'alice' }, labels: [{ name: 'x' }] });
        expect(comment.data.user?.login).toBe('alice');
        expect(byBot.data.user?.login).toBe('lakeflow-connector-bot[bot]');
        expect(receiver.deliveries).toEqual([
          {
            event: 'issues',
            payload: expect.objectContaining({
              action: 'opened',
              issue: expect.objectContaining({
                number: 8,
                user: expect.objectContaining({ login: 'alice' }),
              }),
              installation: expect.objectContaining({ id: fake.installationId }),
            }),
          },
          {
            event: 'issue_comment',
            payload: expect.objectContaining({
              action: 'created',
              comment: expect.objectContaining({ id: comment.data.id, body: '/approve' }),
              sender: expect.objectContaining({ login: 'alice' }),
            }),
          },
        ]);
      } finally {
        await receiver.stop();
      }
    });

    it('drops the labels of someone without push access, as GitHub does', async () => {
      fake.addPersonToken('bob', 'ghp_bob');

      const issue = await octokitFor(fake, { token: 'ghp_bob' }).rest.issues.create({
        owner,
        repo,
        title: 'Acme',
        labels: ['x'],
      });

      expect(issue.data).toMatchObject({ user: { login: 'bob' }, labels: [] });
    });

    it('delivers nothing from a repository the App is not installed on', async () => {
      fake.addRepo({ owner, repo: 'elsewhere', installed: false });
      fake.addPersonToken('alice', 'ghp_alice');
      const receiver = await receiveWebhooks();
      try {
        await octokitFor(fake, { token: 'ghp_alice' }).rest.issues.create({
          owner,
          repo: 'elsewhere',
          title: 't',
        });
        await fake.sendWebhook('issues', fake.issueOpenedPayload({ owner, repo, number: 7 }));

        expect(receiver.deliveries.map((delivery) => delivery.event)).toEqual(['issues']);
        expect(receiver.deliveries[0]?.payload).toMatchObject({ issue: { number: 7 } });
      } finally {
        await receiver.stop();
      }
    });
  });

  describe('when a GitHub App asks for its installation on a repository', () => {
    it('answers it for an App JWT, 404 where the App is not installed and 401 for any other token', async () => {
      fake.addRepo({ owner, repo: 'elsewhere', installed: false });
      fake.addPersonToken('alice', 'ghp_alice');
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      const app = octokitFor(fake, { appId: fake.appId, privateKey: pem });
      const otherApp = octokitFor(fake, { appId: fake.appId + 1, privateKey: pem });

      const installed = await app.rest.apps.getRepoInstallation({ owner, repo });
      const missing = await statusOf(app.rest.apps.getRepoInstallation({ owner, repo: 'elsewhere' }));
      const byPerson = await statusOf(
        octokitFor(fake, { token: 'ghp_alice' }).rest.apps.getRepoInstallation({ owner, repo }),
      );
      const byOtherApp = await statusOf(otherApp.rest.apps.getRepoInstallation({ owner, repo }));

      expect(installed.data).toMatchObject({
        id: fake.installationId,
        app_id: fake.appId,
        account: { login: owner },
      });
      expect([missing, byPerson, byOtherApp]).toEqual([404, 401, 401]);
    });
  });

  describe('keeping the fake honest', () => {
    it('reports an unknown route as a violation', async () => {
      const status = await statusOf(octokit.request('GET /definitely/not/github'));

      expect(status).toBe(501);
      expect(() => fake.assertNoViolations()).toThrow(/unknown-route.*GET \/definitely\/not\/github/);
      expect(fake.takeViolations()).toHaveLength(1);
    });

    it('reports an operation of the description that the fake does not implement', async () => {
      const status = await statusOf(octokit.rest.repos.getBranch({ owner, repo, branch: 'main' }));

      expect(status).toBe(501);
      expect(fake.takeViolations()).toEqual([expect.objectContaining({ kind: 'not-implemented' })]);
    });

    it('reports a request body that breaks the schema', async () => {
      const status = await statusOf(
        octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          owner,
          repo,
          issue_number: 7,
          body: 42 as unknown as string,
        }),
      );

      expect(status).toBe(500);
      expect(fake.takeViolations()).toEqual([
        expect.objectContaining({ kind: 'request', problems: ['body $.body: must be string, got number'] }),
      ]);
    });

    it('reports a query parameter the fake would silently ignore', async () => {
      const status = await statusOf(octokit.rest.repos.listCommits({ owner, repo, path: 'README.md' }));

      expect(status).toBe(501);
      expect(fake.takeViolations()[0]?.problems[0]).toMatch(/path/);
    });

    it('catches a response that would break the schema', async () => {
      fake.addLabel({ owner, repo, name: 'bug' });
      const label = fake.state.requireRepo(owner, repo).labels.get('bug');
      if (label) label.color = 42 as unknown as string;

      const status = await statusOf(octokit.rest.issues.getLabel({ owner, repo, name: 'bug' }));

      expect(status).toBe(500);
      expect(fake.takeViolations()).toEqual([
        expect.objectContaining({
          kind: 'response',
          problems: ['response $.color: must be string, got number'],
        }),
      ]);
    });

    it('answers 401 without credentials', async () => {
      const response = await fetch(`${fake.url}/repos/${owner}/${repo}`, {
        signal: AbortSignal.timeout(5000),
      });

      expect(response.status).toBe(401);
    });

    it('serves only operations that exist in the API description', async () => {
      const spec = await loadOpenApiSpec();

      const unknown = fakeGitHubRoutes
        .filter((route) => route.inSpec !== false)
        .filter((route) => !spec.has(route.method.toLowerCase(), route.path));

      expect(unknown).toEqual([]);
    });
  });

  describe('when it sends webhooks', () => {
    it('signs deliveries so @octokit/webhooks-methods verify accepts them', async () => {
      const deliveries: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
      const receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(202).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      fake.webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;

      try {
        const opened = await fake.sendWebhook('issues', fake.issueOpenedPayload({ owner, repo, number: 7 }), {
          id: 'd-1',
        });
        const payload = fake.issueCommentCreatedPayload({
          owner,
          repo,
          issue: 7,
          body: '/approve',
          user: 'alice',
        });
        const commented = await fake.sendWebhook('issue_comment', payload);
        const [first, second] = deliveries;

        expect([opened, commented]).toEqual([202, 202]);
        expect(first?.headers['x-github-event']).toBe('issues');
        expect(first?.headers['x-github-delivery']).toBe('d-1');
        expect(second?.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
        expect(await verify('shh', first?.body ?? '', String(first?.headers['x-hub-signature-256']))).toBe(
          true,
        );
        expect(await verify('other', first?.body ?? '', String(first?.headers['x-hub-signature-256']))).toBe(
          false,
        );
        expect(JSON.parse(first?.body ?? '{}')).toMatchObject({
          action: 'opened',
          issue: { number: 7, title: 'New connector: Acme', user: { login: 'alice' } },
          repository: { full_name: `${owner}/${repo}` },
          installation: { id: fake.installationId },
        });
        expect(payload.comment).toMatchObject({ body: '/approve', user: { login: 'alice' } });
        expect(fake.comments(owner, repo, 7).map((comment) => comment.id)).toEqual([payload.comment.id]);
      } finally {
        await new Promise<void>((resolve) => receiver.close(() => resolve()));
      }
    });
  });
});

describe('checkSchema', () => {
  const resolve = () => ({});

  it.each([
    [{ type: 'object', required: ['id'] }, {}, ['$: misses required "id"']],
    [{ type: 'integer' }, 1.5, ['$: must be integer, got number']],
    [{ type: 'string', nullable: true }, null, []],
    [{ type: 'string' }, null, ['$: must be string, got null']],
    [{ enum: ['a', 'b'] }, 'c', ['$: must be one of ["a","b"], got "c"']],
    [{ type: 'array', items: { type: 'string' } }, ['x', 1], ['$[1]: must be string, got number']],
    [
      { oneOf: [{ type: 'string' }, { type: 'string', minLength: 1 }] },
      'x',
      ['$: matches 2 branches of oneOf, expected exactly one'],
    ],
    [{ anyOf: [{ type: 'string' }, { type: 'integer' }] }, 2, []],
    [{ type: 'object', additionalProperties: false }, { x: 1 }, ['$: has unknown property "x"']],
  ])('checks %j against %j', (schema, value, expected) => {
    expect(checkSchema(schema, value, resolve).map((error) => `${error.at}: ${error.message}`)).toEqual(
      expected,
    );
  });
});
