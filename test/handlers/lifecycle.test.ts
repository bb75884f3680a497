import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { Probot } from 'probot';
import { beforeEach, describe, expect, it } from 'vitest';
import { registerHandlers } from '../../src/handlers/register-handlers.js';
import { RecordingJobQueue } from '../fakes/recording-job-queue.js';
import { buildIssueLifecycle, buildPullRequestLifecycle, REPO } from '../helpers/build-webhook.js';
import { TestOctokit, useHttpMock } from '../helpers/http-mock.js';

useHttpMock();

const PR_BODY = '<!-- lakeflow-connector-bot:pr-body -->\nCloses #42.\n\nAdds the connector.';
const RUN_REF = { installationId: REPO.installationId, owner: REPO.owner, repo: REPO.repo, issue: 42 };
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

describe('issue and PR lifecycle webhooks', () => {
  let probot: Probot;
  let jobs: RecordingJobQueue;

  beforeEach(async () => {
    jobs = new RecordingJobQueue();
    probot = new Probot({ appId: 1, privateKey, Octokit: TestOctokit, log: pino({ level: 'silent' }) });
    await probot.load((app) =>
      registerHandlers(app, {
        jobs,
        allowReply: async () => true,
        log: pino({ level: 'silent' }),
      }),
    );
  });

  const receive = (name: string, payload: unknown, id: string) =>
    probot.receive({ id, name, payload } as Parameters<Probot['receive']>[0]);

  it.each([
    ['closed', 'issue_closed'],
    ['reopened', 'issue_reopened'],
  ] as const)('enqueues issues.%s for the run of that issue, once per delivery', async (action, type) => {
    const payload = buildIssueLifecycle({ action, sender: 'maintainer' });

    await receive('issues', payload, 'd-1');
    await receive('issues', payload, 'd-1');

    expect(jobs.list()).toEqual([
      { kind: 'run_event', ref: RUN_REF, event: { type, id: 'delivery-d-1', actor: 'maintainer' } },
    ]);
  });

  describe("the bot's dashboard issue", () => {
    const DASHBOARD = '<!-- lakeflow-connector-bot:dashboard -->\nEvery Lakeflow connector run';
    const dashboard = (action: 'closed' | 'reopened', author = 'lakeflow-connector-bot[bot]') =>
      buildIssueLifecycle({ action, number: 9, body: DASHBOARD, author });

    it('is refreshed at once when reopened, under the repository coalesce key', async () => {
      await receive('issues', dashboard('reopened'), 'd-9');

      expect(jobs.list()).toEqual([
        {
          kind: 'dashboard',
          repo: { installationId: REPO.installationId, owner: REPO.owner, repo: REPO.repo },
        },
      ]);
      expect(jobs.eventOptions.get('delivery-d-9')).toEqual({
        delayMs: 0,
        coalesceKey: `dashboard-${REPO.installationId}-${REPO.owner}-${REPO.repo}`,
      });
    });

    it('queues nothing when closed: it has no run to cancel', async () => {
      await receive('issues', dashboard('closed'), 'd-10');

      expect(jobs.list()).toEqual([]);
    });

    it("is not a person's issue carrying the marker: that one goes to its run as any issue", async () => {
      await receive('issues', dashboard('closed', 'mallory'), 'd-11');

      expect(jobs.list()).toEqual([
        {
          kind: 'run_event',
          ref: { ...RUN_REF, issue: 9 },
          event: { type: 'issue_closed', id: 'delivery-d-11', actor: 'maintainer' },
        },
      ]);
    });
  });

  it.each([
    [false, 'closed'],
    [true, 'merged'],
  ])('enqueues pull_request.closed (merged: %s) of the bot PR for its run, via that PR', async (merged) => {
    await receive(
      'pull_request',
      buildPullRequestLifecycle({ action: 'closed', pullRequestBody: PR_BODY, merged }),
      'd-2',
    );

    expect(jobs.list()).toEqual([
      {
        kind: 'run_event',
        ref: RUN_REF,
        event: { type: 'pull_request_closed', id: 'delivery-d-2', number: 57, merged, actor: 'maintainer' },
        viaPullRequest: 57,
      },
    ]);
  });

  it('enqueues pull_request.reopened of the bot PR', async () => {
    await receive(
      'pull_request',
      buildPullRequestLifecycle({ action: 'reopened', pullRequestBody: PR_BODY }),
      'd-3',
    );

    expect(jobs.list()).toEqual([
      {
        kind: 'run_event',
        ref: RUN_REF,
        event: { type: 'pull_request_reopened', id: 'delivery-d-3', number: 57, actor: 'maintainer' },
        viaPullRequest: 57,
      },
    ]);
  });

  it.each([
    [
      'a PR whose body names no run',
      buildPullRequestLifecycle({ action: 'closed', pullRequestBody: 'Fixes a typo.' }),
    ],
    ['a PR without a body', buildPullRequestLifecycle({ action: 'closed', pullRequestBody: null })],
    [
      'a PR whose body only mentions Closes #42 below its first lines',
      buildPullRequestLifecycle({ action: 'closed', pullRequestBody: `${'line\n'.repeat(20)}Closes #42.` }),
    ],
  ])('ignores %s', async (_name, payload) => {
    await receive('pull_request', payload, 'd-4');

    expect(jobs.list()).toEqual([]);
  });

  it('ignores a lifecycle payload that does not match its schema', async () => {
    await receive('issues', { ...buildIssueLifecycle({ action: 'closed' }), issue: { number: 'x' } }, 'd-5');

    expect(jobs.list()).toEqual([]);
  });
});
