import { parse } from 'yaml';

/** What the checks read from `connector_spec.yaml`. */
export interface ConnectorSpec {
  /** `connection.parameters[].name` plus every `connection.auth_methods[].parameters[].name`. */
  params: string[];
  /** True when the spec has a `connection.oauth` block (UC injects `access_token`). */
  oauth: boolean;
  /** `{name}` placeholders of the OAuth block's URLs (e.g. `tenant_id` in a token URL); UC fills them from the options. */
  oauthPlaceholders: string[];
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
  const oauthText = JSON.stringify(connection.oauth ?? {});
  const oauthPlaceholders = [...new Set([...oauthText.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))];
  const tables = top.tables;
  return {
    ok: true,
    doc,
    spec: {
      params: [...new Set(params)],
      oauth: connection.oauth !== undefined,
      oauthPlaceholders,
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
/** Parameter names whose values are secrets. */
const SECRET_NAME = /(secret|token|password|passwd|api_?key|private_?key|credential)/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\/[\w./-]*)?$/i;

/** A known token shape that is not a placeholder. */
function hasTokenShape(value: string): boolean {
  return !PLACEHOLDER.test(value) && TOKEN_SHAPES.some((shape) => shape.test(value));
}

/** A long letter+digit run in a secret parameter's value, not a GUID, a URL or a path. */
function looksLikeSecretValue(value: string): boolean {
  if (PLACEHOLDER.test(value) || GUID.test(value.trim()) || /[/:]/.test(value)) return false;
  return (value.match(/[A-Za-z0-9_\-+=]{24,}/g) ?? []).some((run) => /\d/.test(run) && /[A-Za-z]/.test(run));
}

/**
 * Dotted paths (e.g. `connection.parameters[1].default`) of values that look like real credentials:
 * a known token shape anywhere, or a long random-looking value of a secret parameter (one marked
 * `secret: true` or named like a token, key or password). Public ids, scopes, URLs and paths are not.
 */
export function credentialLiterals(doc: unknown, path = '', secretParam = false): string[] {
  if (typeof doc === 'string')
    return hasTokenShape(doc) || (secretParam && looksLikeSecretValue(doc)) ? [path] : [];
  if (Array.isArray(doc))
    return doc.flatMap((item, i) => credentialLiterals(item, `${path}[${i}]`, secretParam));
  if (typeof doc === 'object' && doc !== null) {
    const entry = doc as Record<string, unknown>;
    const secret =
      secretParam ||
      entry.secret === true ||
      (typeof entry.name === 'string' && SECRET_NAME.test(entry.name));
    return Object.entries(entry).flatMap(([key, value]) =>
      credentialLiterals(
        value,
        path === '' ? key : `${path}.${key}`,
        secret && ['default', 'value', 'example'].includes(key),
      ),
    );
  }
  return [];
}
