import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packTarball, type TarballFile } from '../../../test/fakes/fake-github/tarball.js';
import { ExternalServiceError } from '../../errors.js';
import { readTreeArchive } from './read-tree-archive.js';

const PREFIX = 'acme-connectors-0a1b2c3';
const COMMIT = '0a1b2c3'.padEnd(40, '0');
/** Git's blob ids of "" and "hello\n" (`git hash-object`). */
const EMPTY_BLOB = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
const HELLO_BLOB = 'ce013625030ba8dba906f756967f9e9ca394464a';

const file = (path: string, content: string | Buffer, mode = '100644'): TarballFile => ({
  path,
  mode,
  content: typeof content === 'string' ? Buffer.from(content) : content,
});

const pack = (...files: TarballFile[]) => packTarball({ prefix: PREFIX, commit: COMMIT, files });

async function malformed(data: Uint8Array, limits?: { maxArchiveBytes: number }): Promise<string> {
  const error = await readTreeArchive(data, 'acme/connectors@0a1b2c3', limits).then(
    () => new Error('expected the archive to be refused'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ExternalServiceError);
  return (error as Error).message;
}

describe('readTreeArchive', () => {
  it('strips the top-level folder and keeps each file with its mode, size, blob id and text', async () => {
    const long = `${'deep/'.repeat(30)}module.py`;
    const files = await readTreeArchive(
      pack(
        file('hello.txt', 'hello\n'),
        file('empty.py', ''),
        file('tools/run.sh', '#!/bin/sh\n', '100755'),
        file(long, 'x = 1\n'),
      ),
      'acme/connectors@0a1b2c3',
    );
    expect([...files.keys()].sort()).toEqual(['empty.py', 'hello.txt', long, 'tools/run.sh'].sort());
    expect(files.get('hello.txt')).toEqual({
      path: 'hello.txt',
      mode: '100644',
      type: 'blob',
      size: 6,
      blobSha: HELLO_BLOB,
      body: { kind: 'text', text: 'hello\n' },
    });
    expect(files.get('empty.py')?.blobSha).toBe(EMPTY_BLOB);
    expect(files.get('tools/run.sh')?.mode).toBe('100755');
    expect(files.get(long)?.body).toEqual({ kind: 'text', text: 'x = 1\n' });
  });

  it('keeps a symbolic link as a link (mode 120000, its target), never as the file it points at', async () => {
    const files = await readTreeArchive(
      pack(file('hello.txt', 'hello\n'), file('docs/link.txt', '../hello.txt', '120000')),
      'x',
    );
    expect(files.get('docs/link.txt')).toMatchObject({
      mode: '120000',
      size: '../hello.txt'.length,
      body: { kind: 'symlink', target: '../hello.txt' },
    });
  });

  it('marks a binary file (a NUL byte) and a file over the text limit without keeping their bodies', async () => {
    const files = await readTreeArchive(
      pack(file('logo.png', Buffer.from([0x89, 0x50, 0x00, 0x01])), file('big.json', 'hello\n'.repeat(4))),
      'x',
      { maxTextBytes: 12 },
    );
    expect(files.get('logo.png')).toMatchObject({ size: 4, body: { kind: 'binary' } });
    expect(files.get('big.json')).toMatchObject({ size: 24, body: { kind: 'too_large' } });
    expect(files.get('big.json')?.blobSha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reads a tar that is not gzipped', async () => {
    const files = await readTreeArchive(gunzipSync(pack(file('hello.txt', 'hello\n'))), 'x');
    expect(files.get('hello.txt')?.blobSha).toBe(HELLO_BLOB);
  });

  it('refuses what is not a tar, a cut-short archive, and one over the size bound, naming the archive', async () => {
    expect(await malformed(Buffer.from('<html>not an archive</html>'))).toMatch(
      /archive of acme\/connectors@0a1b2c3 is malformed/,
    );
    const tar = gunzipSync(pack(file('hello.txt', 'hello\n'.repeat(200))));
    // Cut inside a body, and cut between two entries (after the pax global header and the folder).
    expect(await malformed(tar.subarray(0, 2000))).toMatch(/malformed/);
    expect(await malformed(tar.subarray(0, 1536))).toMatch(/malformed: .*cut short/);
    expect(await malformed(pack(file('hello.txt', 'hello\n')).subarray(0, 40))).toMatch(/malformed/);
    expect(await malformed(pack(file('hello.txt', 'hello\n')), { maxArchiveBytes: 1024 })).toMatch(
      /over 1024 bytes/,
    );
  });

  it('refuses entries outside one top-level folder', async () => {
    const other = gunzipSync(pack(file('a.py', 'a\n')));
    const second = gunzipSync(
      packTarball({ prefix: 'someone-else', commit: COMMIT, files: [file('b.py', 'b\n')] }),
    );
    // Two archives back to back: the first's end-of-archive blocks dropped.
    const both = Buffer.concat([other.subarray(0, other.length - 1024), second]);
    expect(await malformed(both)).toMatch(/both "acme-connectors-0a1b2c3\/" and "someone-else\/"/);
    expect(
      await malformed(packTarball({ prefix: `${PREFIX}/..`, commit: COMMIT, files: [file('x.py', 'x\n')] })),
    ).toMatch(/leaves the archive's folder/);
  });
});
