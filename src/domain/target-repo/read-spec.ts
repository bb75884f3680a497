import { parse } from 'yaml';

/** What the verifiers read from `connector_spec.yaml` (reference §4.1). */
export interface ConnectorSpec {
  /** `connection.parameters[].name` plus every `connection.auth_methods[].parameters[].name`. */
  params: string[];
  /** True when the spec has a `connection.oauth` block (UC injects `access_token`). */
  oauth: boolean;
  /** The `external_options_allowlist` keys, or null when the key is absent. */
  allowlist: string[] | null;
  /** Table names under a top-level `tables` key (list of names or `{name}`, or a mapping), or null. */
  tables: string[] | null;
}

/** A parse failure message (YAML error text) or a spec. */
export type SpecRead = { ok: true; spec: ConnectorSpec; doc: unknown } | { ok: false; error: string };

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((item) => (typeof item === 'string' ? item : record(item).name))
    .filter((name): name is string => typeof name === 'string');
}

/** Reads `connector_spec.yaml`; a YAML error yields its first line. */
export function readSpec(text: string): SpecRead {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    return {
      ok: false,
      error: (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '',
    };
  }
  const top = record(doc);
  const connection = record(top.connection);
  const methods = Array.isArray(connection.auth_methods) ? connection.auth_methods : [];
  const params = [...names(connection.parameters), ...methods.flatMap((m) => names(record(m).parameters))];
  const allow = top.external_options_allowlist;
  const tables = top.tables;
  return {
    ok: true,
    doc,
    spec: {
      params: [...new Set(params)],
      oauth: connection.oauth !== undefined,
      allowlist:
        typeof allow === 'string'
          ? allow
              .split(',')
              .map((key) => key.trim())
              .filter((key) => key !== '')
          : null,
      tables: Array.isArray(tables) ? names(tables) : tables ? Object.keys(record(tables)) : null,
    },
  };
}

const TOKEN_SHAPES = [
  /\b(?:ghp|gho|ghs|github_pat|sk_live|rk_live|xox[abpr])_?[-A-Za-z0-9_]{10,}/,
  /\bsk-[A-Za-z0-9]{20,}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];
const PLACEHOLDER = /<[^>]*>|\{[^}]*\}|your|example|xxx|\.\.\.|…|changeme|placeholder|fake|dummy/i;

/** True when a string looks like a real secret: a known token shape, or a long letter+digit run. */
function looksLikeCredential(value: string): boolean {
  if (PLACEHOLDER.test(value)) return false;
  if (TOKEN_SHAPES.some((shape) => shape.test(value))) return true;
  return (value.match(/[A-Za-z0-9_\-+/=]{32,}/g) ?? []).some((run) => /\d/.test(run) && /[A-Za-z]/.test(run));
}

/** Dotted paths (e.g. `connection.parameters[1].default`) of string values that look like credentials. */
export function credentialLiterals(doc: unknown, path = ''): string[] {
  if (typeof doc === 'string') return looksLikeCredential(doc) ? [path] : [];
  if (Array.isArray(doc)) return doc.flatMap((item, i) => credentialLiterals(item, `${path}[${i}]`));
  if (typeof doc === 'object' && doc !== null) {
    return Object.entries(doc).flatMap(([key, value]) =>
      credentialLiterals(value, path === '' ? key : `${path}.${key}`),
    );
  }
  return [];
}
