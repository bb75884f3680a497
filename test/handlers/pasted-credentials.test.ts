import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Probot } from 'probot';
import { beforeEach, describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { DEFAULT_REPO_CONFIG } from '../../src/config/repo-config.js';
import { registerHandlers } from '../../src/handlers/register-handlers.js';
import { RecordingJobQueue } from '../fakes/recording-job-queue.js';
import { buildIssueComment, REPO } from '../helpers/build-webhook.js';
import {
  bodies,
  bodySpy,
  githubApi,
  mockInstallationToken,
  TestOctokit,
  useHttpMock,
} from '../helpers/http-mock.js';
import { type PostedReply, replyWorker } from '../helpers/reply-worker.js';

useHttpMock();

const PR_BODY = '<!-- lakeflow-connector-bot:pr-body -->\nCloses #42.\n\nAdds the connector.';
const PASSWORD = ['Tr0ub4', 'dor&3x'].join('');
const CONFIG_COMMENT = `Here are the creds for the live test:\n\n\`\`\`json\n{"subdomain": "acme", "password": "${PASSWORD}"}\n\`\`\``;
const NODE_ID = 'IC_kwDOcomment555';
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

describe('a comment that looks like pasted credentials', () => {
  let probot: Probot;
  let jobs: RecordingJobQueue;
  let logs: string[];
  let requestLabel: string;
  let worker: ReturnType<typeof replyWorker>;
  let posted: PostedReply[];

  beforeEach(async () => {
    requestLabel = DEFAULT_REPO_CONFIG.labels.request;
    jobs = new RecordingJobQueue();
    logs = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    const log = pino({ level: 'debug' }, sink);
    probot = new Probot({ appId: 1, privateKey, Octokit: TestOctokit, log: pino({ level: 'silent' }) });
    await probot.load((app) => registerHandlers(app, { jobs, allowReply: async () => true, log }));
    // The events worker hides the comment through the real adapter (GraphQL against the mock).
    const hider = createOctokitGitHub({
      repo: REPO,
      getOctokit: () => probot.auth(REPO.installationId),
      botLogin: 'lakeflow-bot[bot]',
    });
    worker = replyWorker({
      jobs,
      log,
      settings: () => ({
        environment: 'acme-live',
        labels: { ...DEFAULT_REPO_CONFIG.labels, request: requestLabel },
      }),
      minimizeComment: (nodeId) => hider.minimizeComment(nodeId),
    });
    posted = worker.posted;
  });

  const work = () => worker.work();

  function receive(payload: unknown, id = `d-${Math.random().toString(36).slice(2)}`) {
    return probot.receive({ id, name: 'issue_comment', payload } as Parameters<Probot['receive']>[0]);
  }

  function credentialComment(params: Parameters<typeof buildIssueComment>[0]) {
    const payload = buildIssueComment(params);
    return { ...payload, comment: { ...payload.comment, node_id: NODE_ID } };
  }

  function expectMinimize(reply: Record<string, unknown> = { data: { minimizeComment: {} } }) {
    mockInstallationToken(REPO.installationId);
    const mutation = bodySpy();
    githubApi().post('/graphql', mutation).reply(200, reply);
    return mutation;
  }

  /** What the worker posted, after running the queued jobs. */
  async function replies() {
    await work();
    return posted;
  }

  it('from a stranger on a connector issue: hides it, then tells the author to rotate and use the secret of the configured environment', async () => {
    const mutation = expectMinimize();

    await receive(
      credentialComment({ body: CONFIG_COMMENT, login: 'stranger', labels: ['lakeflow-connector'] }),
      'creds-1',
    );

    expect(jobs.list()).toMatchObject([
      { kind: 'credentials_warning', ref: { ...REPO, issue: 42 }, key: 'creds-1', actor: 'stranger' },
    ]);
    expect(JSON.stringify(jobs.list())).not.toContain(PASSWORD);
    const [reply] = await replies();
    expect(bodies(mutation)).toMatchObject([
      { query: expect.stringContaining('classifier: OUTDATED'), variables: { id: NODE_ID } },
    ]);
    expect(reply).toMatchObject({
      issue: 42,
      key: 'reply-creds-1',
      body: expect.stringMatching(/^@stranger I hid your comment/),
    });
    expect(reply?.body).toContain('**rotate that credential**');
    expect(reply?.body).toContain('`CONNECTOR_TEST_CONFIG_JSON`');
    expect(reply?.body).toContain('`acme-live`');
  });

  it('never writes the comment body to the log', async () => {
    expectMinimize();

    await receive(
      credentialComment({ body: CONFIG_COMMENT, login: 'stranger', labels: ['lakeflow-connector'] }),
    );

    await work();
    const text = logs.join('');
    expect(text).toContain('Comment looks like pasted credentials');
    expect(text).toContain('value of \\"password\\"');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('subdomain');
  });

  it("on the bot's pull request: hides it and answers there", async () => {
    expectMinimize();

    await receive(
      credentialComment({
        body: `token: ${PASSWORD}`,
        login: 'someone',
        number: 57,
        pullRequestBody: PR_BODY,
      }),
    );

    expect(await replies()).toMatchObject([{ issue: 57, body: expect.stringMatching(/^@someone I hid/) }]);
  });

  it('in a command: hides it and does not run the command (no permission lookup, no command job)', async () => {
    expectMinimize();

    await receive(
      credentialComment({
        body: `/revise use api_key=${PASSWORD} for the live run`,
        login: 'maintainer',
        labels: ['lakeflow-connector'],
      }),
    );

    expect(jobs.list().map((job) => job.kind)).toEqual(['credentials_warning']);
    expect(await work()).toEqual(['hid_credentials']);
  });

  it('that cannot be hidden: asks the author to delete it', async () => {
    expectMinimize({
      data: null,
      errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }],
    });

    await receive(
      credentialComment({ body: CONFIG_COMMENT, login: 'stranger', labels: ['lakeflow-connector'] }),
    );

    expect(await replies()).toMatchObject([
      { body: expect.stringContaining('I could not hide it: please **delete it now**') },
    ]);
  });

  it("on an issue carrying the repository's configured request label: hides it", async () => {
    requestLabel = 'new-connector';
    const mutation = expectMinimize();

    await receive(credentialComment({ body: CONFIG_COMMENT, login: 'stranger', labels: ['new-connector'] }));

    expect(await replies()).toHaveLength(1);
    expect(bodies(mutation)).toHaveLength(1);
  });

  it('on an issue that is not a connector request: left alone', async () => {
    await receive(credentialComment({ body: CONFIG_COMMENT, login: 'stranger', labels: [] }));
    await receive(credentialComment({ body: CONFIG_COMMENT, login: 'stranger', labels: ['bug'] }));

    expect(jobs.list()).toMatchObject([{ kind: 'credentials_warning', requestLabels: ['bug'] }]);
    expect(await work()).toEqual(['ignored_not_a_request']);
    expect(posted).toEqual([]);
  });

  it('an ordinary comment is left untouched, and a command in it still runs', async () => {
    await receive(
      credentialComment({
        body: 'The token: it expires after an hour, see <your-token> in the docs.',
        login: 'stranger',
        labels: ['lakeflow-connector'],
      }),
    );
    await receive(
      credentialComment({
        body: `/approve\n\nThe secret is set: \`CONNECTOR_TEST_CONFIG_JSON: ${'$'}{{ secrets.X }}\``,
        labels: ['lakeflow-connector'],
      }),
    );

    expect(jobs.list()).toMatchObject([{ kind: 'command', command: { type: 'approve' } }]);
  });

  it('added by an edit: hides it too, and an edited command is never run', async () => {
    const mutation = expectMinimize();
    const edited = (body: string) => ({
      ...credentialComment({ body, login: 'stranger', labels: ['lakeflow-connector'] }),
      action: 'edited',
    });

    await probot.receive({
      id: 'edit-1',
      name: 'issue_comment',
      payload: edited(CONFIG_COMMENT),
    } as Parameters<Probot['receive']>[0]);
    await probot.receive({ id: 'edit-2', name: 'issue_comment', payload: edited('/approve') } as Parameters<
      Probot['receive']
    >[0]);

    expect(jobs.list()).toMatchObject([{ kind: 'credentials_warning', key: 'edit-1' }]);
    expect(await replies()).toHaveLength(1);
    expect(bodies(mutation)).toHaveLength(1);
  });
});
