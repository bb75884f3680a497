import { describe, expect, it } from 'vitest';
import { InMemoryGitHub } from '../../test/fakes/in-memory-github.js';
import { InMemoryRunStore } from '../../test/fakes/in-memory-run-store.js';
import { repoAccessOf } from '../../test/helpers/repo-access.js';
import { REPO_CONFIG_PATH } from '../config/repo-config.js';
import { createLogger } from '../logging.js';
import { checkAccess } from './check-access.js';
import type { EventJob } from './event-job.js';
import type { WorkerDeps } from './worker-deps.js';

const REF = { installationId: 7, owner: 'acme', repo: 'connectors', issue: 42 };

function workerWith(github: InMemoryGitHub) {
  let lookups = 0;
  const access = repoAccessOf(github);
  const counted = {
    permission: (...args: Parameters<typeof access.permission>) => {
      lookups += 1;
      return access.permission(...args);
    },
    settings: (...args: Parameters<typeof access.settings>) => {
      lookups += 1;
      return access.settings(...args);
    },
  };
  const deps = {
    store: new InMemoryRunStore(),
    github: () => github,
    access: counted,
    log: createLogger({ level: 'silent' }),
  } as unknown as WorkerDeps;
  return { deps, lookups: () => lookups };
}

const approve: EventJob = {
  kind: 'command',
  ref: REF,
  id: 'delivery-1',
  command: { type: 'approve' },
  actor: 'stranger',
  target: { kind: 'issue', number: 42 },
  commentId: 5,
  viaPullRequest: null,
};

describe('checkAccess', () => {
  it('passes a command queued before the check moved to the worker (no checkAccess) without a lookup', async () => {
    const { deps, lookups } = workerWith(new InMemoryGitHub());

    expect(await checkAccess(deps, approve)).toEqual({ job: approve });
    expect(lookups()).toBe(0);
  });

  it('refuses a command whose author lacks access, and passes it once they have it', async () => {
    const github = new InMemoryGitHub();
    const job = { ...approve, checkAccess: { isIssueAuthor: false } };

    expect(await checkAccess(workerWith(github).deps, job)).toEqual({ outcome: 'refused' });
    github.permissions.set('stranger', 'write');
    expect(await checkAccess(workerWith(github).deps, job)).toEqual({ job });
    expect(github.comments.map((comment) => comment.key)).toEqual(['reply-delivery-1']);
  });

  it('drops a workflow run of another file than the configured workflow, and a reply on an issue that is no request', async () => {
    const github = new InMemoryGitHub();
    github.files.set(REPO_CONFIG_PATH, 'workflow: connector-tests.yml\nlabels:\n  request: new-connector\n');
    const { deps } = workerWith(github);
    const run: EventJob = {
      kind: 'workflow_run',
      ref: REF,
      runKey: 'acme-connectors-42-b1-test-a1-simulate',
      runId: 9,
      conclusion: 'success',
      url: 'https://github.test/run/9',
      workflowPath: '.github/workflows/lakeflow-connector-tests.yml',
    };
    const reply: EventJob = {
      kind: 'reply',
      ref: REF,
      key: 'd-1',
      body: 'too large',
      requestLabels: ['bug'],
    };

    expect(await checkAccess(deps, run)).toEqual({ outcome: 'ignored_other_workflow' });
    expect(
      await checkAccess(deps, { ...run, workflowPath: '.github/workflows/connector-tests.yml' }),
    ).toMatchObject({
      job: { kind: 'workflow_run' },
    });
    expect(await checkAccess(deps, reply)).toEqual({ outcome: 'ignored_not_a_request' });
    expect(await checkAccess(deps, { ...reply, requestLabels: ['new-connector'] })).toEqual({
      job: { ...reply, requestLabels: ['new-connector'] },
    });
  });

  it('answers two refused reviews of one person, handled at once, with one comment', async () => {
    const github = new InMemoryGitHub();
    const upsert = github.upsertComment.bind(github);
    // GitHub answers the look-up and the create with a delay, as it does.
    github.upsertComment = async (params) => {
      const found = github.comments.find((item) => item.issue === params.issue && item.key === params.key);
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (found !== undefined) return upsert(params);
      const id = 5_000 + github.comments.length;
      github.comments.push({ id, issue: params.issue, key: params.key, body: params.body, edits: 0 });
      return { id, url: `https://github.test/comment/${id}` };
    };
    const { deps } = workerWith(github);
    const review = (id: string): EventJob => ({
      kind: 'review',
      ref: REF,
      id,
      actor: 'stranger',
      text: 'use cursors',
      path: null,
      pullRequest: 57,
    });

    await Promise.all([checkAccess(deps, review('delivery-r1')), checkAccess(deps, review('delivery-r2'))]);

    expect(github.comments.map((comment) => comment.key)).toEqual(['reply-review-not-applied-pr57-stranger']);
  });
});
