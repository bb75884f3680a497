import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Probot } from 'probot';
import { beforeEach, describe, expect, it } from 'vitest';
import { registerHandlers } from '../../src/handlers/register-handlers.js';
import { RecordingJobQueue } from '../fakes/recording-job-queue.js';
import { buildIssueEvent } from '../helpers/build-webhook.js';
import { TestOctokit, useHttpMock } from '../helpers/http-mock.js';
import { type PostedReply, replyWorker } from '../helpers/reply-worker.js';

useHttpMock();

/** A GitHub-token-shaped value assembled at run time (not a real token); it holds `abcdef` by chance. */
const TOKEN = ['gh', 'p_', 'Zq8Lm2Rv7Tx4abcdefKp9Wn3Bc6Hd1Jf5Gs0'].join('');
const FORM = (notes: string) =>
  `### Source name\n\nacme_crm\n\n### API documentation links\n\nhttps://developers.acme.example/api\n\n### Tables of interest\n\ncontacts\n\n### Notes\n\n${notes}\n`;
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

describe('an issue whose description looks like pasted credentials', () => {
  let probot: Probot;
  let jobs: RecordingJobQueue;
  let logs: string[];
  let allowReplies: boolean;
  let worker: ReturnType<typeof replyWorker>;
  let posted: PostedReply[];

  beforeEach(async () => {
    jobs = new RecordingJobQueue();
    logs = [];
    allowReplies = true;
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    probot = new Probot({ appId: 1, privateKey, Octokit: TestOctokit, log: pino({ level: 'silent' }) });
    const log = pino({ level: 'debug' }, sink);
    const allowReply = async () => allowReplies;
    await probot.load((app) => registerHandlers(app, { jobs, allowReply, log }));
    worker = replyWorker({ jobs, log, allowReply, settings: () => ({ environment: 'acme-live' }) });
    posted = worker.posted;
  });

  const work = () => worker.work();

  function receive(payload: unknown, id = `d-${Math.random().toString(36).slice(2)}`) {
    return probot.receive({ id, name: 'issues', payload } as Parameters<Probot['receive']>[0]);
  }

  it('when opened: queues no request, only a warning that names the line and quotes nothing', async () => {
    await receive(
      buildIssueEvent({ action: 'opened', body: FORM(`Use ${TOKEN} for the sandbox.`) }),
      'open-1',
    );

    expect(jobs.list()).toEqual([
      {
        kind: 'credentials_warning',
        ref: { installationId: 7, owner: 'acme', repo: 'connectors', issue: 42 },
        key: 'open-1',
        actor: 'requester',
        where: { kind: 'description', action: 'opened', lines: [15] },
      },
    ]);
    expect(JSON.stringify(jobs.list())).not.toContain(TOKEN);
    expect(JSON.stringify(jobs.list())).not.toContain('sandbox');
    expect(await work()).toEqual(['refused_credentials']);
    expect(posted).toEqual([
      {
        issue: 42,
        key: 'reply-open-1',
        body: expect.stringMatching(/^@requester I have not read this request: line 15 of its description/),
      },
    ]);
    expect(posted[0]?.body).toContain('**Rotate that credential**');
    expect(posted[0]?.body).toContain('`acme-live`');
  });

  it('never writes the description to the log', async () => {
    await receive(buildIssueEvent({ action: 'opened', body: FORM(`password: Tr0ub4dor&3x for ${TOKEN}`) }));

    const text = logs.join('');
    expect(text).toContain('Issue description looks like pasted credentials; not read');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('Tr0ub4dor');
    expect(text).not.toContain('acme_crm');
  });

  it('when an edit adds one: warns the editor and queues no request_edited', async () => {
    await receive(buildIssueEvent({ action: 'edited', body: FORM(`token: ${TOKEN}`), sender: 'maintainer' }));

    await work();
    expect(jobs.list().map((job) => job.kind)).toEqual(['credentials_warning']);
    expect(posted).toMatchObject([
      { body: expect.stringMatching(/^@maintainer I have not read this edit of the request/) },
    ]);
  });

  it('when an edit removes it: queues the request as usual', async () => {
    await receive(buildIssueEvent({ action: 'edited', body: FORM('Use the sandbox.') }));

    expect(jobs.list()).toMatchObject([{ kind: 'issue_request', action: 'edited' }]);
  });

  it('when replies are rate-limited: queues no request and posts nothing', async () => {
    allowReplies = false;

    await receive(buildIssueEvent({ action: 'opened', body: FORM(`Use ${TOKEN}.`) }));

    expect(await work()).toEqual(['refused_credentials_reply_rate_limited']);
    expect(posted).toEqual([]);
  });

  it.each([
    ['a placeholder', 'GITHUB_TOKEN=<your-token>'],
    ['an Actions secret expression', ['CONNECTOR_TEST_CONFIG_JSON: $', '{{ secrets.X }}'].join('')],
    ['an x-ed out token', ['gh', 'p_', 'x'.repeat(36)].join('')],
    ['prose about tokens', 'Auth: an API token in the Authorization header; tokens expire after an hour.'],
  ])('with only %s: queues the request', async (_name, notes) => {
    await receive(buildIssueEvent({ action: 'opened', body: FORM(notes) }));

    expect(jobs.list()).toMatchObject([{ kind: 'issue_request' }]);
  });

  it('on an issue that is not a connector request: left alone', async () => {
    await receive(buildIssueEvent({ action: 'opened', body: `token ${TOKEN}`, labels: [] }));
    await receive(buildIssueEvent({ action: 'opened', body: `token ${TOKEN}`, labels: ['bug'] }));

    expect(await work()).toEqual(['ignored_not_a_request']);
    expect(posted).toEqual([]);
  });
});
