import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import { buildPathPolicy } from '../../src/domain/policy/path-policy.js';
import type { GitHubPort } from '../../src/ports/github.js';
import { createWorkspace } from '../../src/workspace/workspace.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import { fakeOctokit } from '../helpers/app-octokit.js';

const OWNER = 'acme';
const REPO = 'connectors';
const BRANCH = 'lakeflow-connector/acme_crm';
const SRC = 'src/databricks/labs/community_connector/sources/acme_crm';
const CONNECTOR = `${SRC}/acme_crm.py`;
const JOB = 'acme-connectors-42-b1-implement-a1';

const FILES = {
  'README.md': '# connectors\n',
  [CONNECTOR]: 'class AcmeCrm:\n    def read(self):\n        return []\n',
  [`${SRC}/__init__.py`]: 'from .acme_crm import AcmeCrm\n',
  [`${SRC}/scratch.py`]: 'TODO = 1\n',
};

describe('a workspace over the fake GitHub', () => {
  let fake: FakeGitHub;
  let github: GitHubPort;

  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.addRepo({ owner: OWNER, repo: REPO, files: FILES });
    github = createOctokitGitHub({
      repo: { installationId: fake.installationId, owner: OWNER, repo: REPO },
      getOctokit: async () => fakeOctokit(fake.url),
      botLogin: fake.botLogin,
    });
  });

  afterEach(async () => {
    try {
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  it('reads the snapshot, edits it and commits once with the job trailer', async () => {
    const base = await github.ensureBranch(BRANCH);
    const policy = buildPathPolicy({ stage: 'implement', source: 'acme_crm' });
    const workspace = createWorkspace({ github, branch: BRANCH, baseSha: base, policy });

    const listed = await workspace.listFiles(SRC);
    const text = await workspace.readFile(CONNECTOR);
    await workspace.editFile(CONNECTOR, 'return []', 'return [{"id": 1}]');
    await workspace.writeFile(`${SRC}/acme_crm_schemas.py`, 'SCHEMAS = {}\n');
    await workspace.deleteFile(`${SRC}/scratch.py`);
    const writes = fake.received.length;
    const result = await workspace.commit({ message: 'implement: acme_crm (batch 1)', jobId: JOB });
    const again = await workspace.commit({ message: 'implement: acme_crm (batch 1)', jobId: JOB });

    expect(listed).toEqual([`${SRC}/__init__.py`, CONNECTOR, `${SRC}/scratch.py`]);
    expect(text).toBe(FILES[CONNECTOR]);
    expect(result).toEqual({ sha: fake.commitsOn(OWNER, REPO, BRANCH)[0]?.sha, committed: true });
    expect(again).toEqual({ sha: result.sha, committed: false, reason: 'already_committed' });
    expect(fake.commitsOn(OWNER, REPO, BRANCH)).toEqual([
      {
        sha: result.sha,
        message: `implement: acme_crm (batch 1)\n\nLakeflow-Job: ${JOB}`,
        parents: [base],
      },
      { sha: base, message: 'Initial commit', parents: [] },
    ]);
    expect(fake.filesAt(OWNER, REPO, BRANCH)).toEqual({
      'README.md': '# connectors\n',
      [`${SRC}/__init__.py`]: 'from .acme_crm import AcmeCrm\n',
      [CONNECTOR]: 'class AcmeCrm:\n    def read(self):\n        return [{"id": 1}]\n',
      [`${SRC}/acme_crm_schemas.py`]: 'SCHEMAS = {}\n',
    });
    // One commit mutation asking nothing first; the second commit's compare-and-set is refused (the
    // branch moved), so it reads the head and finds the job's commit by its trailer.
    expect(fake.received.slice(writes).map((request) => request.graphql ?? request.operation)).toEqual([
      'createCommitOnBranch',
      'createCommitOnBranch',
      'GET /repos/{owner}/{repo}/git/ref/{ref}',
      'GET /repos/{owner}/{repo}/commits',
    ]);
  });

  it('commits on top of a push to other files, and refuses to commit over a push to the same file', async () => {
    const base = await github.ensureBranch(BRANCH);
    const policy = buildPathPolicy({ stage: 'implement', source: 'acme_crm' });
    const first = createWorkspace({ github, branch: BRANCH, baseSha: base, policy });
    const second = createWorkspace({ github, branch: BRANCH, baseSha: base, policy });
    await first.editFile(CONNECTOR, 'return []', 'return [1]');
    await second.editFile(CONNECTOR, 'return []', 'return [2]');
    const pushed = fake.pushCommit({
      owner: OWNER,
      repo: REPO,
      branch: BRANCH,
      message: 'docs',
      files: { 'README.md': '# connectors!\n' },
    });

    const committed = await first.commit({ message: 'implement', jobId: 'job-a' });
    const refused = await second
      .commit({ message: 'implement', jobId: 'job-b' })
      .catch((error: unknown) => error);

    expect(fake.commitsOn(OWNER, REPO, BRANCH)[0]).toMatchObject({ sha: committed.sha, parents: [pushed] });
    expect(fake.filesAt(OWNER, REPO, BRANCH)['README.md']).toBe('# connectors!\n');
    expect(refused).toMatchObject({ name: 'StateConflictError' });
    expect(fake.filesAt(OWNER, REPO, BRANCH)[CONNECTOR]).toContain('return [1]');
  });
});
