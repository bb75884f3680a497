/** A TOML value this reader understands: a basic/literal string, an array of strings, or raw text. */
export type TomlValue = string | string[];

/** Tables of a TOML document (`""` is the root), each a map of key → value. */
export type TomlTables = Map<string, Map<string, TomlValue>>;

function unquote(raw: string): string {
  const match = /^(?:"((?:\\.|[^"\\])*)"|'([^']*)')/.exec(raw.trim());
  if (!match) return raw.trim();
  return match[2] ?? (match[1] ?? '').replace(/\\(["\\])/g, '$1');
}

function strings(raw: string): string[] {
  return [...raw.matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'/g)].map((m) => m[2] ?? m[1] ?? '');
}

/**
 * A minimal TOML reader for the keys the verifiers check: `[table]` headers, `key = "string"`,
 * `key = ["a", "b"]` (multi-line too). Other values are kept as raw text. Null on a line it
 * cannot read (no `=` outside a header, comment or array continuation).
 */
export function readToml(text: string): TomlTables | null {
  const tables: TomlTables = new Map([['', new Map()]]);
  let current = tables.get('') as Map<string, TomlValue>;
  let pending: { key: string; raw: string } | null = null;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\s+#[^"']*$/, '').trim();
    if (pending) {
      pending.raw += ` ${line}`;
      if (line.includes(']')) {
        current.set(pending.key, strings(pending.raw));
        pending = null;
      }
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(line);
    if (header) {
      const name = (header[1] ?? '').replace(/"/g, '');
      current = tables.get(name) ?? new Map();
      tables.set(name, current);
      continue;
    }
    const pair = /^("[^"]+"|'[^']+'|[\w.-]+)\s*=\s*(.+)$/.exec(line);
    if (!pair) return null;
    const key = unquote(pair[1] ?? '');
    const value = pair[2] ?? '';
    if (value.startsWith('[') && !value.includes(']')) pending = { key, raw: value };
    else current.set(key, value.startsWith('[') ? strings(value) : unquote(value));
  }
  return pending ? null : tables;
}
