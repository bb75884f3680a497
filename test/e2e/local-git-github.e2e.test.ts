import { readFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileRunStore } from '../../src/adapters/local/file-run-store.js';
import { openCheckout } from '../../src/adapters/local/git-objects.js';
import { createLocalGitGitHub, type LocalNotice } from '../../src/adapters/local/local-git-github.js';
import { StateConflictError } from '../../src/errors.js';
import { buildRun } from '../helpers/build-run.js';
import { git, makeFixtureCheckout } from '../helpers/local-checkout.js';

const BRANCH = 'lakeflow-connector/demo';
const REPO = { installationId: 1, owner: 'local', repo: 'demo' };

describe('createLocalGitGitHub on a temporary checkout', () => {
  let dir: string;
  let notices: LocalNotice[];
  let github: ReturnType<typeof createLocalGitGitHub>;

  beforeEach(async () => {
    dir = await makeFixtureCheckout({ 'notes/old.txt': 'old\n' });
    notices = [];
    github = createLocalGitGitHub({
      checkout: await openCheckout(dir),
      repo: REPO,
      base: 'main',
      notify: (notice) => notices.push(notice),
    });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('commits on a new branch with the trailer, leaving the working tree, index and HEAD alone', async () => {
    const status = git(dir, 'status', '--porcelain');
    const head = await github.ensureBranch(BRANCH);

    const { sha } = await github.commitFiles({
      branch: BRANCH,
      expectedHeadSha: head,
      message: 'research: demo (batch 1)\n\nLakeflow-Job: local-demo-1-b1-research-a1\n',
      changes: [
        { path: 'docs/a b.md', content: 'hello\n' },
        { path: 'notes/old.txt', content: null },
      ],
    });

    expect(await github.getBranchHead(BRANCH)).toBe(sha);
    expect(git(dir, 'rev-parse', `${sha}^`)).toBe(head);
    expect(git(dir, 'show', '--format=%an <%ae>', '--name-status', sha)).toMatch(
      /^lakeflow-connector-bot <lakeflow-connector-bot@localhost>\n\nA\tdocs\/a b.md\nD\tnotes\/old.txt$/,
    );
    expect(
      await github.findCommitByTrailer({
        branch: BRANCH,
        trailer: 'Lakeflow-Job: local-demo-1-b1-research-a1',
      }),
    ).toBe(sha);
    expect(
      await github.findCommitByTrailer({ branch: BRANCH, trailer: 'Lakeflow-Job: local-demo-1-b1' }),
    ).toBeNull();
    expect(await github.findCommitByTrailer({ branch: 'missing', trailer: 'Lakeflow-Job: x' })).toBeNull();
    expect(git(dir, 'status', '--porcelain')).toBe(status);
    expect(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(await readFile(join(dir, 'notes/old.txt'), 'utf8')).toBe('old\n');
  });

  it('refuses a commit on a moved branch (compare-and-set) and leaves the branch where it was', async () => {
    const head = await github.ensureBranch(BRANCH);
    const { sha } = await github.commitFiles({
      branch: BRANCH,
      expectedHeadSha: head,
      message: 'first',
      changes: [{ path: 'a.txt', content: 'a' }],
    });

    const stale = github.commitFiles({
      branch: BRANCH,
      expectedHeadSha: head,
      message: 'second',
      changes: [{ path: 'b.txt', content: 'b' }],
    });

    await expect(stale).rejects.toBeInstanceOf(StateConflictError);
    expect(await github.getBranchHead(BRANCH)).toBe(sha);
  });

  it('reads files and lists the tree at a sha or a branch; the default branch is the base', async () => {
    const head = await github.ensureBranch(BRANCH);
    const { sha } = await github.commitFiles({
      branch: BRANCH,
      expectedHeadSha: head,
      message: 'add',
      changes: [{ path: 'src/new.py', content: 'x = 1\n' }],
    });

    const atSha = await github.readTree({ sha });
    const atBase = await github.readTree({ sha: git(dir, 'rev-parse', 'main') });

    expect(await github.readFile({ path: 'src/new.py', ref: sha })).toBe('x = 1\n');
    expect(await github.readFile({ path: 'src/new.py', ref: head })).toBeNull();
    expect(await github.readFile({ path: 'src/new.py' })).toBeNull();
    expect(await github.readFile({ path: 'src', ref: sha })).toBeNull();
    expect(await github.pathExists('notes/old.txt')).toBe(true);
    expect(atSha.get('src/new.py')).toMatchObject({
      path: 'src/new.py',
      mode: '100644',
      type: 'blob',
      size: 6,
    });
    expect(atSha.size).toBe(atBase.size + 1);
  });

  it('reads the whole tree at a sha through git archive: the same files, modes and blob ids as ls-tree', async () => {
    const head = await github.ensureBranch(BRANCH);
    const { sha } = await github.commitFiles({
      branch: BRANCH,
      expectedHeadSha: head,
      message: 'add',
      changes: [{ path: 'src/new.py', content: 'x = 1\n' }],
    });
    await symlink('../notes/old.txt', join(dir, 'link.txt'));
    git(dir, 'add', 'link.txt');
    git(dir, 'commit', '-q', '-m', 'link');

    const tree = await github.readTree({ sha });
    const linked = await github.readTree({ sha: git(dir, 'rev-parse', 'HEAD') });

    const listed = git(dir, 'ls-tree', '-r', sha)
      .split('\n')
      .map((line) => {
        const [meta = '', path = ''] = line.split('\t');
        const [mode, , blob] = meta.split(' ');
        return [path, mode, blob];
      });
    expect([...tree.values()].map((file) => [file.path, file.mode, file.blobSha])).toEqual(
      expect.arrayContaining(listed),
    );
    expect(tree.size).toBe(listed.length);
    expect(tree.get('src/new.py')?.body).toEqual({ kind: 'text', text: 'x = 1\n' });
    expect(linked.get('link.txt')).toMatchObject({
      mode: '120000',
      body: { kind: 'symlink', target: '../notes/old.txt' },
    });
    await expect(github.readTree({ sha: 'f'.repeat(40) })).rejects.toThrow('no such branch or commit');
  });

  it('keeps comments and the PR stand-in in the record, announcing only changes', async () => {
    await github.upsertComment({ issue: 1, key: 'plan', body: 'v1' });
    await github.upsertComment({ issue: 1, key: 'plan', body: 'v1' });
    await github.upsertComment({ issue: 1, key: 'plan', body: 'v2' });
    const pr = await github.ensurePullRequest({ branch: BRANCH, title: 't', body: 'b', labels: [] });
    await github.ensurePullRequest({ branch: BRANCH, title: 't', body: 'b2', labels: [] });
    await github.markPullRequestReady({ number: pr.number, reviewers: ['octo'] });

    expect(notices.map((notice) => notice.kind)).toEqual([
      'comment',
      'comment',
      'pull_request_opened',
      'pull_request_ready',
    ]);
    expect(await github.findComment({ issue: 1, key: 'plan' })).toMatchObject({ body: 'v2' });
    expect(await github.getPullRequest(pr.number)).toEqual({
      number: pr.number,
      headBranch: BRANCH,
      body: 'b2',
      draft: false,
    });
    expect((await github.record()).base).toBe('main');
  });
});

describe('createFileRunStore', () => {
  it("saves with compare-and-set, finds the active run by source, lists the repository's runs, and refuses a stale version", async () => {
    const dir = await makeFixtureCheckout();
    const store = createFileRunStore(join(dir, '.git', 'lakeflow-connector-bot', 'runs'));
    const run = buildRun({ ref: { ...REPO, issue: 3 } });

    const version = await store.save(run.ref, { run, outbox: null, appliedEventIds: ['e1'] }, 0);
    const stale = store.save(run.ref, { run, outbox: null, appliedEventIds: [] }, 0);

    expect(version).toBe(1);
    await expect(stale).rejects.toBeInstanceOf(StateConflictError);
    expect(await store.load(run.ref)).toMatchObject({ version: 1, appliedEventIds: ['e1'] });
    expect(await store.findActiveRun({ ...REPO, source: run.source })).toEqual(run.ref);
    expect(await store.findActiveRun({ ...REPO, source: 'other' })).toBeNull();
    expect((await store.listRuns(REPO, { recent: 0 })).map((each) => each.ref)).toEqual([run.ref]);
    expect(await store.listRuns({ ...REPO, repo: 'elsewhere' }, { recent: 5 })).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });
});
