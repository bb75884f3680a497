import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { ExternalServiceError } from '../../errors.js';
import { MAX_TREE_TEXT_BYTES, type TreeFileContent } from '../../ports/github.js';
import { blobHasher, bodyOf } from './tree-file-content.js';

/** Bounds on what one archive may hold. */
export interface TreeArchiveLimits {
  /** Bodies of files larger than this are hashed but not kept. */
  maxTextBytes: number;
  /** Bytes of the uncompressed tar; more is an error rather than memory spent on a huge repository. */
  maxArchiveBytes: number;
}

/** Two zero blocks of 512 bytes end a tar. */
const END_BLOCKS = 1024;

const DEFAULT_LIMITS: TreeArchiveLimits = {
  maxTextBytes: MAX_TREE_TEXT_BYTES,
  maxArchiveBytes: 512 * 1024 * 1024,
};

/**
 * Every file of a git archive (`git archive`, GitHub's tarball: tar, gzipped or not, under one
 * top-level folder that is stripped) by path: mode (`100644`, `100755`, `120000` for a symbolic
 * link), size, blob id and body. Folders are left out. An archive that is not a tar, is cut short,
 * has more than one top-level folder or a path leaving it throws `ExternalServiceError` naming
 * `label` (a download can come back damaged; the next attempt downloads it again).
 */
export async function readTreeArchive(
  data: Uint8Array,
  label: string,
  limits: Partial<TreeArchiveLimits> = {},
): Promise<Map<string, TreeFileContent>> {
  const { maxTextBytes, maxArchiveBytes } = { ...DEFAULT_LIMITS, ...limits };
  const files = new Map<string, TreeFileContent>();
  const malformed = (why: string, cause?: unknown) =>
    new ExternalServiceError(`The archive of ${label} is malformed: ${why}`, cause ? { cause } : undefined);
  let prefix: string | undefined;
  let problem: Error | undefined;
  const pending: Promise<void>[] = [];

  function relativePath(raw: string): string | null {
    const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.');
    const [top, ...rest] = segments;
    if (top === undefined || raw.startsWith('/')) throw malformed(`entry "${raw}" is not under a folder`);
    if (prefix === undefined) prefix = top;
    if (top !== prefix) throw malformed(`entries under both "${prefix}/" and "${top}/"`);
    if (rest.includes('..')) throw malformed(`entry "${raw}" leaves the archive's folder`);
    return rest.length === 0 ? null : rest.join('/');
  }

  function onEntry(entry: ReadEntry): void {
    try {
      const path = relativePath(entry.path);
      if (path === null || entry.type === 'Directory') {
        entry.resume();
      } else if (entry.type === 'SymbolicLink') {
        const target = Buffer.from(entry.linkpath ?? '', 'utf8');
        const blobSha = blobHasher(target.length).update(target).digest('hex');
        const body = { kind: 'symlink' as const, target: target.toString('utf8') };
        files.set(path, { path, mode: '120000', type: 'blob', size: target.length, blobSha, body });
        entry.resume();
      } else if (entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile') {
        pending.push(readBody(entry, path));
      } else {
        entry.resume();
      }
    } catch (error) {
      problem ??= error instanceof Error ? error : malformed(String(error));
      entry.resume();
    }
  }

  function readBody(entry: ReadEntry, path: string): Promise<void> {
    const size = entry.size;
    const hash = blobHasher(size);
    const keep = size <= maxTextBytes;
    const chunks: Buffer[] = [];
    entry.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      if (keep) chunks.push(chunk);
    });
    return new Promise((resolve) => {
      entry.on('end', () => {
        const mode = ((entry.mode ?? 0o644) & 0o111) !== 0 ? '100755' : '100644';
        const body = bodyOf(size, keep ? Buffer.concat(chunks) : null, maxTextBytes);
        files.set(path, { path, mode, type: 'blob', size, blobSha: hash.digest('hex'), body });
        resolve();
      });
    });
  }

  const parser = new Parser({ strict: true, onReadEntry: onEntry });
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  let seen = 0;
  // The tail of the tar: a whole archive ends with two zero blocks, which a cut between entries lacks.
  let tail = Buffer.alloc(0);
  const counted = new Writable({
    write(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxArchiveBytes) {
        done(new ExternalServiceError(`The archive of ${label} is over ${maxArchiveBytes} bytes unpacked`));
        return;
      }
      tail = Buffer.concat([tail, chunk.subarray(-END_BLOCKS)]).subarray(-END_BLOCKS);
      parser.write(chunk);
      done();
    },
    final(done) {
      if (tail.length < END_BLOCKS || tail.some((byte) => byte !== 0)) {
        done(malformed('it does not end with the end-of-archive blocks (cut short?)'));
        return;
      }
      parser.end(() => done());
    },
  });
  const ended = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', (error: Error) => reject(malformed(error.message, error)));
  });
  try {
    await Promise.all([
      gzipped
        ? pipeline(Readable.from([bytes]), createGunzip(), counted)
        : pipeline(Readable.from([bytes]), counted),
      ended,
    ]);
  } catch (error) {
    if (error instanceof ExternalServiceError) throw error;
    throw malformed(error instanceof Error ? error.message : String(error), error);
  }
  await Promise.all(pending);
  if (problem !== undefined) throw problem;
  return files;
}
