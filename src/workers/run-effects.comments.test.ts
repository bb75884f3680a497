import { describe, expect, it } from 'vitest';
import { InMemoryGitHub } from '../../test/fakes/in-memory-github.js';
import { RecordingJobQueue } from '../../test/fakes/recording-job-queue.js';
import { REF, runAtGate } from '../../test/helpers/pipeline.js';
import { repoAccessOf } from '../../test/helpers/repo-access.js';
import type { CommentRenderer } from '../domain/render/comment-renderer.js';
import { createLogger } from '../logging.js';
import { runEffects } from './run-effects.js';
import type { WorkerDeps } from './worker-deps.js';

function depsWith(github: InMemoryGitHub, comments?: CommentRenderer): WorkerDeps {
  return {
    github: () => github,
    access: repoAccessOf(github),
    jobs: new RecordingJobQueue(),
    clock: { now: () => new Date() },
    log: createLogger({ level: 'silent' }),
    ...(comments === undefined ? {} : { comments }),
  } as unknown as WorkerDeps;
}

const PLAIN: CommentRenderer = {
  plan: (run) => `plain plan of ${run.source}`,
  summary: (_run, summary) => `plain ${summary.kind} summary`,
  selfReview: (params) => `plain self-review of ${params.source}`,
  requestErrors: (errors) => `plain ${errors.length} error(s)`,
  reply: (body) => `plain ${body}`,
};

function bodyOf(github: InMemoryGitHub, key: string): string {
  return github.comments.find((comment) => comment.key === key)?.body ?? '';
}

describe('comments written through deps.comments', () => {
  it('writes the plan, summaries, replies and request errors with the given renderer, and the status comment in markdown with its state marker', async () => {
    const github = new InMemoryGitHub();
    const run = { ...runAtGate('research'), pullRequest: null };

    await runEffects(depsWith(github, PLAIN), { ref: REF, run }, [
      { type: 'upsert_plan' },
      { type: 'post_summary', key: 'final-b1', summary: { kind: 'final' } },
      { type: 'reply', key: 'd1', target: { kind: 'issue', number: REF.issue }, body: '@someone noted.' },
      { type: 'post_request_errors', errors: [{ field: 'Source name', message: 'missing' }] },
      { type: 'sync_status' },
    ]);

    expect(bodyOf(github, 'plan')).toContain('plain plan of acme_crm');
    expect(bodyOf(github, 'final-b1')).toContain('plain final summary');
    expect(bodyOf(github, 'reply-d1')).toContain('plain @someone noted.');
    expect(bodyOf(github, 'request-errors')).toContain('plain 1 error(s)');
    expect(bodyOf(github, 'status')).toContain('<!-- lakeflow-connector-bot:state v=1 ');
  });

  it('writes GitHub markdown when no renderer is given', async () => {
    const github = new InMemoryGitHub();
    const run = { ...runAtGate('research'), pullRequest: null };

    await runEffects(depsWith(github), { ref: REF, run }, [{ type: 'upsert_plan' }]);

    expect(bodyOf(github, 'plan')).toContain('| phase | produces |');
  });
});

describe('the PR body in a status sync', () => {
  async function syncedBody(effect: { type: 'sync_status'; pullRequestBodyUnchanged?: true }) {
    const github = new InMemoryGitHub();
    const { number } = await github.ensurePullRequest({
      branch: 'lakeflow-connector/acme_crm',
      title: 'Add',
      body: 'old body',
      labels: [],
    });
    const run = { ...runAtGate('research'), pullRequest: number };
    await runEffects(depsWith(github), { ref: REF, run }, [effect]);
    return github.pulls.find((pull) => pull.number === number)?.body;
  }

  it('is written to the run’s PR by number when the change touched it', async () => {
    expect(await syncedBody({ type: 'sync_status' })).toContain('Closes #42.');
  });

  it('is left alone when the change did not touch it', async () => {
    expect(await syncedBody({ type: 'sync_status', pullRequestBodyUnchanged: true })).toBe('old body');
  });
});

describe('ensure_pull_request', () => {
  it('asks GitHub nothing when the run has its PR', async () => {
    const github = new InMemoryGitHub();
    let asked = 0;
    const ensure = github.ensurePullRequest.bind(github);
    github.ensurePullRequest = async (params) => {
      asked += 1;
      return ensure(params);
    };
    await runEffects(depsWith(github), { ref: REF, run: { ...runAtGate('research'), pullRequest: 57 } }, [
      { type: 'ensure_pull_request' },
    ]);
    expect(asked).toBe(0);
    await runEffects(depsWith(github), { ref: REF, run: { ...runAtGate('research'), pullRequest: null } }, [
      { type: 'ensure_pull_request' },
    ]);
    expect(asked).toBe(1);
  });
});
