import { describe, expect, it } from 'vitest';
import { InMemoryGitHub } from '../../test/fakes/in-memory-github.js';
import type { Stage } from '../domain/pipeline/phase.js';
import { buildPathPolicy } from '../domain/policy/path-policy.js';
import { StateConflictError } from '../errors.js';
import type { FileTree } from '../ports/github.js';
import { ToolError } from './tool-error.js';
import { createWorkspace, type WorkspaceLimits } from './workspace.js';

const BRANCH = 'lakeflow-connector/acme_crm';
const SRC = 'src/databricks/labs/community_connector/sources/acme_crm';
const TESTS = 'tests/unit/sources/acme_crm';
const CONNECTOR = `${SRC}/acme_crm.py`;
const SECRET = ['Xk9f', 'Pq2L', 'mN7v', 'Rt4w'].join('');

/** The in-memory GitHub, counting the reads the workspace makes. */
class CountingGitHub extends InMemoryGitHub {
  readonly reads: string[] = [];
  trees = 0;

  override async readTree(params: { sha: string }): Promise<FileTree> {
    this.trees += 1;
    return super.readTree(params);
  }

  override async readFile(params: { path: string; ref?: string }): Promise<string | null> {
    this.reads.push(`${params.path}@${params.ref}`);
    return super.readFile(params);
  }
}

function setup(options: { stage?: Stage; limits?: Partial<WorkspaceLimits> } = {}) {
  const github = new CountingGitHub();
  const base = github.pushCommit(
    BRANCH,
    {
      'README.md': '# connectors\n',
      [CONNECTOR]: 'class AcmeCrm:\n    """Acme."""\n\n    def read(self):\n        return []\n',
      [`${SRC}/__init__.py`]: 'from .acme_crm import AcmeCrm\n',
      [`${SRC}/link.py`]: '../other/link.py',
      [`${SRC}/logo.bin`]: 'PNG\u0000\u0001',
      'src/databricks/labs/community_connector/sources/acme_crm_v2/x.py': 'x = 1\n',
    },
    'seed',
  );
  github.modes.set(`${SRC}/link.py`, '120000');
  const workspace = createWorkspace({
    github,
    branch: BRANCH,
    baseSha: base,
    policy: buildPathPolicy({ stage: options.stage ?? 'implement', source: 'acme_crm' }),
    limits: options.limits,
  });
  return { github, base, workspace };
}

async function toolError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('expected a ToolError'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error instanceof Error ? error.message : '';
}

describe('createWorkspace', () => {
  describe('when reading', () => {
    it('lists the files under a folder, not its namesake siblings', async () => {
      const { workspace } = setup();

      const files = await workspace.listFiles(`${SRC}/`);

      expect(files).toEqual([`${SRC}/__init__.py`, CONNECTOR, `${SRC}/link.py`, `${SRC}/logo.bin`]);
    });

    it('shows created files, hides deleted ones, and lists the snapshot once', async () => {
      const { github, workspace } = setup();

      await workspace.writeFile(`${SRC}/acme_crm_schemas.py`, 'SCHEMAS = {}\n');
      await workspace.deleteFile(`${SRC}/__init__.py`);
      const files = await workspace.listFiles(SRC);

      expect(files).toEqual([CONNECTOR, `${SRC}/acme_crm_schemas.py`, `${SRC}/link.py`, `${SRC}/logo.bin`]);
      expect(github.trees).toBe(1);
    });

    it('reads the whole tree at the base sha once, even after the branch moves, and no file alone', async () => {
      const { github, base, workspace } = setup();
      github.pushCommit(BRANCH, { [CONNECTOR]: 'changed elsewhere\n' });

      const first = await workspace.readFile(CONNECTOR);
      const second = await workspace.readFile(CONNECTOR);
      await workspace.readFile(`${SRC}/__init__.py`);
      await workspace.searchFiles('class', SRC);
      await workspace.listFiles();

      expect(first).toContain('class AcmeCrm');
      expect(second).toBe(first);
      expect(github.treeReads).toEqual([base]);
      expect(github.reads).toEqual([]);
    });

    it('reads its own writes first', async () => {
      const { workspace } = setup();

      await workspace.writeFile(CONNECTOR, 'class AcmeCrm:\n    pass\n');

      expect(await workspace.readFile(CONNECTOR)).toBe('class AcmeCrm:\n    pass\n');
    });

    it('reads a range of lines', async () => {
      const { workspace } = setup();

      expect(await workspace.readFile(CONNECTOR, { from: 4, to: 9 })).toBe(
        '    def read(self):\n        return []',
      );
    });

    it.each([
      ['a missing file', `${SRC}/nope.py`, 'does not exist'],
      ['a symbolic link', `${SRC}/link.py`, 'symbolic link'],
      ['a binary file', `${SRC}/logo.bin`, 'binary'],
      ['a path with ..', `${SRC}/../acme_crm_v2/x.py`, '..'],
      ['an absolute path', '/etc/passwd', 'absolute'],
    ])('refuses to read %s', async (_name, path, reason) => {
      const { workspace } = setup();

      expect(await toolError(workspace.readFile(path))).toContain(reason);
    });

    it('refuses a deleted file and a line past the end', async () => {
      const { workspace } = setup();
      await workspace.deleteFile(`${SRC}/__init__.py`);

      expect(await toolError(workspace.readFile(`${SRC}/__init__.py`))).toContain('was deleted');
      expect(await toolError(workspace.readFile(CONNECTOR, { from: 9, to: 10 }))).toContain('has 5 lines');
    });
  });

  describe('when searching', () => {
    it('finds matching lines in the snapshot and the overlay under a prefix', async () => {
      const { workspace } = setup();
      await workspace.writeFile(`${SRC}/acme_crm_utils.py`, 'def read_all():\n    pass\n');

      const matches = await workspace.searchFiles('def read', SRC);

      expect(matches).toEqual([
        `${CONNECTOR}:4:     def read(self):`,
        `${SRC}/acme_crm_utils.py:1: def read_all():`,
      ]);
    });

    it('refuses an invalid regular expression', async () => {
      const { workspace } = setup();

      expect(await toolError(workspace.searchFiles('read(('))).toContain('Invalid regular expression');
    });

    it('runs (a|a)*b on a 50,000-character line of a in linear time: no match, no hang', async () => {
      const { workspace } = setup();
      await workspace.writeFile(`${SRC}/long/a.py`, `${'a'.repeat(50_000)}\n`);

      expect(await workspace.searchFiles('(a|a)*b', `${SRC}/long`)).toEqual([]);
      expect(await workspace.searchFiles('^a(a|a)*$', `${SRC}/long`)).toEqual([
        `${SRC}/long/a.py:1: ${'a'.repeat(200)}`,
      ]);
    });

    it.each([
      ['(["\'])(.*)\\1'],
      ['(\\w+)=\\k<w>'],
      ['read(?=\\()'],
      ['read(?!_all)'],
      ['(?<=def )read'],
      ['(?<!_)read'],
    ])('tells the model RE2 has no backreferences or lookaround: %s', async (pattern) => {
      const { workspace } = setup();

      expect(await toolError(workspace.searchFiles(pattern))).toContain(
        'RE2 syntax: no backreferences or lookaround',
      );
    });

    it('refuses a pattern over 300 characters', async () => {
      const { workspace } = setup();

      expect(await toolError(workspace.searchFiles('x'.repeat(301)))).toBe(
        'The pattern is 301 characters; use at most 300.',
      );
    });

    it.each<[string, string[]]>([
      ['def \\w+\\(', [`${CONNECTOR}:4:     def read(self):`]],
      ['^class ', [`${CONNECTOR}:1: class AcmeCrm:`]],
      ['\\(\\)$', []],
      ['return \\[\\]$', [`${CONNECTOR}:5:         return []`]],
      [
        '[A-Z][a-z]+Crm',
        [`${SRC}/__init__.py:1: from .acme_crm import AcmeCrm`, `${CONNECTOR}:1: class AcmeCrm:`],
      ],
      ['(foo|read)+\\b', [`${CONNECTOR}:4:     def read(self):`]],
    ])('finds the same lines as before for an ordinary pattern: %s', async (pattern, expected) => {
      const { workspace } = setup();

      expect(await workspace.searchFiles(pattern, `${SRC}/`)).toEqual(expected);
    });

    it.each<[string, string[]]>([
      ['(?i)ACME\\.', [`${CONNECTOR}:2:     """Acme."""`]],
      ['(e+)+_crm', [`${SRC}/__init__.py:1: from .acme_crm import AcmeCrm`]],
    ])('runs what the old shape guard or JavaScript refused: %s', async (pattern, expected) => {
      const { workspace } = setup();

      expect(await workspace.searchFiles(pattern, `${SRC}/`)).toEqual(expected);
    });

    it('says when it searched only part of the files', async () => {
      const { workspace } = setup();
      for (let i = 0; i < 101; i += 1)
        await workspace.writeFile(`${SRC}/m${String(i).padStart(3, '0')}.py`, 'x\n');

      const matches = await workspace.searchFiles('^never$', SRC);

      expect(matches).toEqual(['… searched only the first 100 of 105 files; give a narrower prefix.']);
    });
  });

  describe('when writing', () => {
    it.each<[string, () => [string, string], string, Partial<WorkspaceLimits>?]>([
      ['a path outside the stage', () => [`${TESTS}/test_x.py`, 'x\n'], 'implement stage may only write'],
      ['a workflow', () => ['.github/workflows/x.yml', 'on: push\n'], '.github/'],
      ['a conftest.py', () => [`${SRC}/conftest.py`, 'x = 1\n'], 'conftest.py'],
      ['a path with ..', () => [`${SRC}/../../../../../../../x.py`, 'x\n'], '..'],
      ['a symbolic link', () => [`${SRC}/link.py`, 'x = 1\n'], 'symbolic link'],
      ['a file under a file', () => [`${CONNECTOR}/x.py`, 'x\n'], 'is a file'],
      ['a folder', () => [`${SRC}/sub`, 'x\n'], 'is a folder'],
      ['NUL bytes', () => [`${SRC}/a.py`, 'a\u0000b'], 'NUL'],
      ['invalid UTF-8', () => [`${SRC}/a.py`, 'a\ud800b'], 'UTF-8'],
      [
        'a file over the limit',
        () => [`${SRC}/a.py`, 'é'.repeat(60)],
        '100-byte limit',
        { maxFileBytes: 100 },
      ],
      [
        'too many bytes in all',
        () => [`${SRC}/a.py`, 'x'.repeat(90)],
        'over 150 bytes',
        { maxTotalBytes: 150 },
      ],
      ['too many files', () => [`${SRC}/a.py`, 'x\n'], 'already changes 1 files', { maxFiles: 1 }],
    ])('refuses %s and changes nothing', async (_name, input, reason, limits) => {
      const { workspace } = setup({ limits: limits ?? {} });
      await workspace.writeFile(`${SRC}/sub/first.py`, 'y'.repeat(80));
      const before = await workspace.diff();
      const [path, content] = input();

      expect(await toolError(workspace.writeFile(path, content))).toContain(reason);
      expect(await workspace.diff()).toEqual(before);
    });

    it('refuses a credential, naming its kind and line but not its value', async () => {
      const { workspace } = setup();

      const message = await toolError(workspace.writeFile(CONNECTOR, `x = 1\nAPI_KEY = "${SECRET}"\n`));

      expect(message).toContain('line 2');
      expect(message).toContain('API_KEY');
      expect(message).not.toContain(SECRET);
      expect(await workspace.diff()).toEqual([]);
    });

    it('lets a file that already held a look-alike be edited', async () => {
      const { github, base } = setup();
      const head = github.pushCommit(BRANCH, { [CONNECTOR]: `KEY = "${SECRET}"\nx = 1\n` });
      const policy = buildPathPolicy({ stage: 'implement', source: 'acme_crm' });
      const workspace = createWorkspace({ github, branch: BRANCH, baseSha: head, policy });

      await workspace.editFile(CONNECTOR, 'x = 1', 'x = 2');

      expect(base).not.toBe(head);
      expect(await workspace.readFile(CONNECTOR)).toBe(`KEY = "${SECRET}"\nx = 2\n`);
    });

    it('edits the one occurrence of the old text, literally', async () => {
      const { workspace } = setup();

      await workspace.editFile(CONNECTOR, 'return []', 'return ["$&"]');

      expect(await workspace.readFile(CONNECTOR, { from: 5, to: 5 })).toBe('        return ["$&"]');
    });

    it.each([
      ['missing', 'return None', 'was not found'],
      ['ambiguous', '    ', 'occurs 4 times'],
      ['empty', '', 'old_text is empty'],
    ])('refuses an edit whose old text is %s', async (_name, oldText, reason) => {
      const { workspace } = setup();

      expect(await toolError(workspace.editFile(CONNECTOR, oldText, 'x'))).toContain(reason);
    });

    it('reports added, modified and deleted files, and forgets a write that restores the original', async () => {
      const { workspace } = setup();
      const original = await workspace.readFile(`${SRC}/__init__.py`);

      await workspace.writeFile(`${SRC}/new.py`, 'new = 1\n');
      await workspace.editFile(CONNECTOR, 'return []', 'return [1]');
      await workspace.deleteFile(`${SRC}/logo.bin`);
      await workspace.writeFile(`${SRC}/__init__.py`, '# changed\n');
      await workspace.writeFile(`${SRC}/__init__.py`, original);
      await workspace.writeFile(`${SRC}/gone.py`, 'x\n');
      await workspace.deleteFile(`${SRC}/gone.py`);

      expect(await workspace.diff()).toEqual([
        { path: CONNECTOR, status: 'modified', content: expect.stringContaining('return [1]') },
        { path: `${SRC}/logo.bin`, status: 'deleted', content: null },
        { path: `${SRC}/new.py`, status: 'added', content: 'new = 1\n' },
      ]);
    });

    it('refuses to delete a missing file or one outside the stage', async () => {
      const { workspace } = setup();

      expect(await toolError(workspace.deleteFile(`${SRC}/nope.py`))).toContain('does not exist');
      expect(await toolError(workspace.deleteFile('README.md'))).toContain('may only write');
    });
  });

  describe('when committing', () => {
    it('makes one commit on the base with the job trailer', async () => {
      const { github, base, workspace } = setup();
      await workspace.editFile(CONNECTOR, 'return []', 'return [1]');

      const result = await workspace.commit({ message: 'implement: acme_crm (batch 1)\n', jobId: 'job-1' });

      expect(result).toEqual({ sha: github.branches.get(BRANCH), committed: true });
      expect(github.commits.at(-1)).toMatchObject({
        parent: base,
        message: 'implement: acme_crm (batch 1)\n\nLakeflow-Job: job-1',
        paths: [CONNECTOR],
      });
    });

    it('commits once when the same job commits twice', async () => {
      const { github, base, workspace } = setup();
      await workspace.writeFile(`${SRC}/new.py`, 'new = 1\n');
      const first = await workspace.commit({ message: 'implement', jobId: 'job-1' });
      const retry = createWorkspace({
        github,
        branch: BRANCH,
        baseSha: base,
        policy: buildPathPolicy({ stage: 'implement', source: 'acme_crm' }),
      });
      await retry.writeFile(`${SRC}/new.py`, 'new = 2\n');

      const second = await retry.commit({ message: 'implement', jobId: 'job-1' });

      expect(second).toEqual({ sha: first.sha, committed: false, reason: 'already_committed' });
      expect(github.commits).toHaveLength(2);
    });

    it('makes no commit without changes', async () => {
      const { github, base, workspace } = setup();

      const result = await workspace.commit({ message: 'implement', jobId: 'job-1' });

      expect(result).toEqual({ sha: base, committed: false, reason: 'no_changes' });
      expect(github.commits).toHaveLength(1);
    });

    it('retries on the new head when someone else changed other files', async () => {
      const { github, workspace } = setup();
      await workspace.editFile(CONNECTOR, 'return []', 'return [1]');
      const moved = github.pushCommit(BRANCH, { 'README.md': '# connectors, edited\n' });

      const result = await workspace.commit({ message: 'implement', jobId: 'job-1' });

      expect(result.committed).toBe(true);
      expect(github.commits.at(-1)).toMatchObject({ sha: result.sha, parent: moved });
      expect(github.filesAt(result.sha).get('README.md')).toBe('# connectors, edited\n');
      expect(github.filesAt(result.sha).get(CONNECTOR)).toContain('return [1]');
    });

    it('throws StateConflictError and does not commit when someone else changed the same file', async () => {
      const { github, workspace } = setup();
      await workspace.editFile(CONNECTOR, 'return []', 'return [1]');
      await workspace.writeFile(`${SRC}/new.py`, 'new = 1\n');
      github.pushCommit(BRANCH, { [CONNECTOR]: 'rewritten by a person\n' });

      const commit = workspace.commit({ message: 'implement', jobId: 'job-1' });

      await expect(commit).rejects.toBeInstanceOf(StateConflictError);
      await expect(commit).rejects.toThrow(`Someone else changed ${CONNECTOR} on ${BRANCH}`);
      expect(github.commits.map((c) => c.message)).toEqual(['seed', 'Push by someone else']);
    });
  });
});
