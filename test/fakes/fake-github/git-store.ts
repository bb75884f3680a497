import { createHash } from 'node:crypto';

/** Author or committer of a commit. */
export interface GitPerson {
  name: string;
  email: string;
  date: string;
}

/** A commit object. */
export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: GitPerson;
  committer: GitPerson;
  /** Creation order, for newest-first listings when the clock stands still. */
  seq: number;
}

/** A file in a tree: its blob and mode. */
export interface TreeFile {
  sha: string;
  mode: string;
}

/** An entry of a `POST /git/trees` body. */
export interface TreeEntryInput {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string | null;
  content?: string;
}

/** Result of building a tree: its sha, a client error (422) or something the fake does not model. */
export type TreeResult = { sha: string } | { error: string } | { unsupported: string };

/**
 * The git database of one repository. Trees are flat maps from full path to blob, which is all
 * `base_tree` edits and file listings need; shas are sha1 digests of the content plus, for commits,
 * a counter, so they are deterministic and 40 hex characters like real ones.
 */
export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, Map<string, TreeFile>>();
  readonly commits = new Map<string, GitCommit>();
  /** Fully qualified ref (`refs/heads/main`) → commit sha. */
  readonly refs = new Map<string, string>();
  private seq = 0;

  createBlob(content: Buffer): string {
    const sha = sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));
    this.blobs.set(sha, content);
    return sha;
  }

  createTree(files: Map<string, TreeFile>): string {
    const lines = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const sha = sha1(
      Buffer.from(`tree\0${lines.map(([path, file]) => `${file.mode} ${path} ${file.sha}`).join('\n')}`),
    );
    this.trees.set(sha, new Map(files));
    return sha;
  }

  /** Applies `entries` to `baseTree` (or an empty tree) the way `POST /git/trees` does. */
  buildTree(baseTree: string | undefined, entries: TreeEntryInput[]): TreeResult {
    const base = baseTree === undefined ? new Map<string, TreeFile>() : this.trees.get(baseTree);
    if (base === undefined) return { error: `base_tree ${baseTree} does not exist` };
    const files = new Map(base);
    for (const entry of entries) {
      const path = entry.path ?? '';
      if (path === '' || path.startsWith('/') || path.endsWith('/'))
        return { error: `invalid tree path "${path}"` };
      const type = entry.type ?? (entry.mode === '040000' ? 'tree' : 'blob');
      if (type === 'commit') return { unsupported: 'submodule (type "commit") tree entries' };
      if (entry.sha === null) {
        removePath(files, path);
        continue;
      }
      if (type === 'tree') {
        const subtree = entry.sha === undefined ? undefined : this.trees.get(entry.sha);
        if (subtree === undefined) return { error: `tree.sha ${entry.sha} is not a valid tree` };
        removePath(files, path);
        for (const [inner, file] of subtree) files.set(`${path}/${inner}`, file);
        continue;
      }
      const sha =
        entry.content !== undefined ? this.createBlob(Buffer.from(entry.content, 'utf8')) : entry.sha;
      if (sha === undefined || !this.blobs.has(sha)) return { error: `tree.sha ${sha} is not a valid blob` };
      removePath(files, path);
      files.set(path, { sha, mode: entry.mode ?? '100644' });
    }
    return { sha: this.createTree(files) };
  }

  createCommit(params: {
    tree: string;
    parents: string[];
    message: string;
    author: GitPerson;
    committer: GitPerson;
  }) {
    this.seq += 1;
    const sha = sha1(
      Buffer.from(
        `commit\0${params.tree}\0${params.parents.join(',')}\0${params.message}\0${params.author.date}\0${this.seq}`,
      ),
    );
    const commit: GitCommit = { sha, ...params, seq: this.seq };
    this.commits.set(sha, commit);
    return commit;
  }

  /** The commit sha a branch name, `heads/x`, `refs/heads/x`, tag or commit sha points at. */
  resolve(ref: string): string | undefined {
    if (this.commits.has(ref)) return ref;
    for (const candidate of [`refs/heads/${ref}`, `refs/tags/${ref}`, `refs/${ref}`, ref]) {
      const sha = this.refs.get(candidate);
      if (sha !== undefined) return sha;
    }
    return undefined;
  }

  /** Every file at `ref` (path → content), or undefined when `ref` does not resolve. */
  filesAt(ref: string): Map<string, Buffer> | undefined {
    const sha = this.resolve(ref);
    const tree = sha === undefined ? undefined : this.trees.get(this.commits.get(sha)?.tree ?? '');
    if (tree === undefined) return undefined;
    return new Map([...tree].map(([path, file]) => [path, this.blobs.get(file.sha) ?? Buffer.alloc(0)]));
  }

  /** `sha` and all its ancestors, newest first. */
  history(sha: string): GitCommit[] {
    const seen = new Map<string, GitCommit>();
    const queue = [sha];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      const commit = this.commits.get(next);
      if (commit === undefined || seen.has(next)) continue;
      seen.set(next, commit);
      queue.push(...commit.parents);
    }
    return [...seen.values()].sort((a, b) => b.seq - a.seq);
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return this.history(descendant).some((commit) => commit.sha === ancestor);
  }
}

function removePath(files: Map<string, TreeFile>, path: string): void {
  files.delete(path);
  for (const key of [...files.keys()]) if (key.startsWith(`${path}/`)) files.delete(key);
}

function sha1(data: Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}
