import { describe, expect, it } from 'vitest';
import { InMemoryGitHub } from '../../test/fakes/in-memory-github.js';
import { ExternalServiceError } from '../errors.js';
import type { FileTree } from '../ports/github.js';
import { createSnapshot, MAX_READ_BYTES } from './snapshot.js';
import { ToolError } from './tool-error.js';

/** The in-memory GitHub whose first `failures` tree reads fail, as a download can. */
class FlakyGitHub extends InMemoryGitHub {
  constructor(private failures = 0) {
    super();
  }

  override async readTree(params: { sha: string }): Promise<FileTree> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new ExternalServiceError('the tarball download failed');
    }
    return super.readTree(params);
  }
}

function seeded(github: InMemoryGitHub): string {
  const base = github.pushCommit('main', {
    'src/a.py': 'a = 1\n',
    'src/link.py': 'a.py',
    'src/logo.png': 'PNG\u0000\u0001',
    'src/huge.json': 'x'.repeat(MAX_READ_BYTES + 1),
  });
  github.modes.set('src/link.py', '120000');
  return base;
}

async function toolError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('expected a ToolError'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolError);
  return (error as Error).message;
}

describe('createSnapshot', () => {
  it('lists every file of the tree with its mode and size, and reads a text file', async () => {
    const github = new InMemoryGitHub();
    const snapshot = createSnapshot(github, seeded(github));

    const files = await snapshot.files();

    expect([...files.keys()].sort()).toEqual(['src/a.py', 'src/huge.json', 'src/link.py', 'src/logo.png']);
    expect(files.get('src/link.py')).toMatchObject({ mode: '120000', type: 'blob', size: 4 });
    expect(files.get('src/huge.json')?.size).toBe(MAX_READ_BYTES + 1);
    expect(await snapshot.read('src/a.py')).toBe('a = 1\n');
  });

  it('gives the model the same ToolErrors as before: missing, symbolic link, too large, binary', async () => {
    const github = new InMemoryGitHub();
    const snapshot = createSnapshot(github, seeded(github));

    expect(await toolError(snapshot.read('src/nope.py'))).toBe(
      'src/nope.py does not exist. Use list_files to see what does.',
    );
    expect(await toolError(snapshot.read('src/link.py'))).toBe(
      'src/link.py is a symbolic link; links are not followed.',
    );
    expect(await toolError(snapshot.read('src/huge.json'))).toBe(
      `src/huge.json is ${MAX_READ_BYTES + 1} bytes, too large to read (limit ${MAX_READ_BYTES}).`,
    );
    expect(await toolError(snapshot.read('src/logo.png'))).toBe(
      'src/logo.png is a binary file; only text files can be read.',
    );
    expect(github.treeReads).toHaveLength(1);
  });

  it('passes a failed tree read on (not a ToolError) and reads again on the next call', async () => {
    const github = new FlakyGitHub(1);
    const snapshot = createSnapshot(github, seeded(github));

    await expect(snapshot.read('src/a.py')).rejects.toBeInstanceOf(ExternalServiceError);
    expect(await snapshot.read('src/a.py')).toBe('a = 1\n');
    expect(await snapshot.read('src/a.py')).toBe('a = 1\n');
  });
});
