import { gzipSync } from 'node:zlib';
import { Header, type HeaderData, Pax } from 'tar';

/** One file of a tarball: a git mode (`100644`, `100755`, `120000` with the link target as content). */
export interface TarballFile {
  path: string;
  mode: string;
  content: Buffer;
}

const MTIME = new Date('2024-01-01T00:00:00Z');

/**
 * A gzipped tar laid out like GitHub's tarball (what `git archive` writes): a pax global header
 * whose comment is the commit sha, then each folder and file under `prefix/`. Paths too long for a
 * ustar header get a pax header, as git's do.
 */
export function packTarball(params: {
  prefix: string;
  commit: string;
  files: Iterable<TarballFile>;
}): Buffer {
  const blocks: Buffer[] = [new Pax({ comment: params.commit }, true).encode()];
  const files = [...params.files].sort((a, b) => (a.path < b.path ? -1 : 1));
  const folders = new Set<string>();
  blocks.push(...entry({ path: `${params.prefix}/`, type: 'Directory', mode: 0o775, size: 0 }));
  for (const file of files) {
    const segments = file.path.split('/');
    for (let depth = 1; depth < segments.length; depth += 1) {
      const folder = segments.slice(0, depth).join('/');
      if (folders.has(folder)) continue;
      folders.add(folder);
      blocks.push(...entry({ path: `${params.prefix}/${folder}/`, type: 'Directory', mode: 0o775, size: 0 }));
    }
    const path = `${params.prefix}/${file.path}`;
    if (file.mode === '120000') {
      blocks.push(
        ...entry({
          path,
          type: 'SymbolicLink',
          mode: 0o777,
          size: 0,
          linkpath: file.content.toString('utf8'),
        }),
      );
      continue;
    }
    const mode = file.mode === '100755' ? 0o775 : 0o664;
    blocks.push(...entry({ path, type: 'File', mode, size: file.content.length }), padded(file.content));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

function entry(data: HeaderData & Required<Pick<HeaderData, 'path' | 'type' | 'mode' | 'size'>>): Buffer[] {
  const header = new Header({ ...data, uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: MTIME });
  const block = Buffer.alloc(512);
  const needsPax = header.encode(block);
  if (!needsPax) return [block];
  const pax = new Pax({
    path: data.path,
    ...(data.linkpath ? { linkpath: data.linkpath } : {}),
    mtime: MTIME,
  });
  return [pax.encode(), block];
}

function padded(content: Buffer): Buffer {
  const rest = content.length % 512;
  return rest === 0 ? content : Buffer.concat([content, Buffer.alloc(512 - rest)]);
}
