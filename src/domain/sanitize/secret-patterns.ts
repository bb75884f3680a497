/**
 * What a credential looks like, for `findSecrets`. Each pattern's `secret` group is the part that is
 * redacted (a key name or `Bearer ` prefix stays readable); `accept` rejects look-alikes.
 */
export interface SecretPattern {
  /** What the finding is called in refusals and logs (never the value). */
  kind: string;
  /** Global, with indices (`dg`), with a named group `secret`. */
  regex: RegExp;
  accept?: (secret: string) => boolean;
}

/** Values that stand for a secret rather than being one (docs, templates, simulator stand-ins). */
const PLACEHOLDER_WORDS =
  /xxx|\*\*\*|\.\.\.|0123456|123456|abcdef|abc123|changeme|change[_-]me|example|test|dummy|fake|replay|sample|placeholder|redacted|mock|simulat|(?:^|[^a-z])your[_\- ]/i;

/** True for `<…>`, `${…}`, `{{…}}`, `{…}` (f-strings), `$VAR`, `%(x)s`, env look-ups and placeholder words. */
export function isPlaceholder(value: string): boolean {
  return (
    /^<.*>$/s.test(value) ||
    /\{[^}]*\}/.test(value) ||
    /^\$[A-Za-z_{]/.test(value) ||
    value.startsWith('%(') ||
    /os\.environ|getenv|process\.env/.test(value) ||
    PLACEHOLDER_WORDS.test(value)
  );
}

/** Shannon entropy of `value` in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...value].length;
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A vendor token: not a placeholder, and not a run of one character (`ghp_0000…`). */
function realToken(secret: string): boolean {
  return !isPlaceholder(secret) && shannonEntropy(secret) >= 3;
}

/** Vendor formats, most specific first: an earlier pattern wins where two overlap. */
export const TOKEN_PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'private key',
    // The header, then (across real or escaped newlines and PEM headers) at least 40 base64
    // characters, then up to the END line, or the rest of the base64 body when it is cut off.
    regex:
      /(?<secret>-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[nr])*(?:[\w-]+: [^\n\\]*(?:\s|\\[nr])+)*[A-Za-z0-9+/=]{40}(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?:[A-Za-z0-9+/=]|\s|\\[nr])*))/dg,
  },
  {
    kind: 'AWS access key id',
    regex: /\b(?<secret>(?:AKIA|ASIA)[A-Z0-9]{16})\b/dg,
    accept: realToken,
  },
  {
    kind: 'AWS secret access key',
    regex: /secret_?access_?key["']?[ \t]*[:=][ \t]*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    accept: realToken,
  },
  {
    kind: 'GitHub token',
    regex: /\b(?<secret>gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})\b/dg,
    accept: realToken,
  },
  { kind: 'Slack token', regex: /\b(?<secret>xox[abposr]-[A-Za-z0-9-]{10,})/dg, accept: realToken },
  { kind: 'Anthropic API key', regex: /\b(?<secret>sk-ant-[A-Za-z0-9_-]{20,})/dg, accept: realToken },
  {
    kind: 'OpenAI-style API key',
    regex: /\b(?<secret>sk-(?!ant-)[A-Za-z0-9_-]{32,})/dg,
    accept: (secret) => realToken(secret) && /\d/.test(secret) && shannonEntropy(secret) >= 3.5,
  },
  {
    kind: 'Google API key',
    regex: /\b(?<secret>AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/dg,
    accept: realToken,
  },
  {
    kind: 'bearer token (JWT)',
    regex: /\b[Bb]earer[ \t]+(?<secret>eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*)/dg,
    accept: realToken,
  },
  { kind: 'Databricks token', regex: /\b(?<secret>dapi[0-9a-f]{32}(?:-\d+)?)\b/dg, accept: realToken },
];

/**
 * `key = "value"`, `key: value`, `"key": "value"`, `key: str = "value"`, on one line: Python, YAML,
 * JSON, TOML and `.env` alike. The value is quoted, or bare up to the end of the line (YAML) or a
 * comment. Key and value are judged by `isSecretAssignment`.
 */
export const ASSIGNMENT =
  /(?<![\w.'"`-])(?<kq>["']?)(?<key>[A-Za-z_][\w.-]*)\k<kq>[ \t]*(?::[ \t]*[A-Za-z_][\w[\].,|]*[ \t]*=(?!=)|:(?!:)|=(?!=))[ \t]*(?:[rRbBuUfF]{0,2}(?<q>["'`])(?<quoted>[^"'`\n]*)\k<q>|(?<bare>[^\s"'`,;#()[\]{}]+)[ \t]*(?:#.*)?$)/dgm;

/** Key names that hold a credential: the credential word ends the name (`token_url` is not one). */
const SECRET_KEY =
  /(?:^|_)(?:password|passwd|pwd|secret|token|api_?key|access_?key|secret_?key|private_?key|auth_?key|authorization|credentials?)$/;
/** Pagination and anti-forgery tokens are not credentials (simulator corpora are full of them). */
const NON_SECRET_KEY =
  /(?:^|_)(?:page|next|prev|skip|cursor|continuation|sync|pagination|csrf|xsrf|state|cart|checkout)_/;

/** True when `key` names a credential (`apiKey`, `client_secret`, `PASSWORD`; not `next_page_token`). */
export function isCredentialKey(key: string): boolean {
  return credentialKeyMatch(key) !== null;
}

function credentialKeyMatch(key: string): RegExpExecArray | null {
  const name = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[.-]/g, '_');
  return NON_SECRET_KEY.test(name) ? null : SECRET_KEY.exec(name);
}

/**
 * True when `key` names a credential and `value` looks like a real one: long, random, not a stand-in.
 * Prose (three words or more) is never a credential; of two words (`Basic dXNl…`) the second counts.
 */
export function isSecretAssignment(key: string, value: string, bare: boolean): boolean {
  const found = credentialKeyMatch(key);
  if (found === null) return false;
  const words = value.trim().split(/\s+/);
  const secret = words.length === 2 ? (words[1] ?? '') : value;
  if (words.length > 2 || secret.length < 12 || shannonEntropy(secret) < 3.5 || isPlaceholder(secret)) {
    return false;
  }
  // A value that spells its own key word (`cart_token_abc`, `my-client-secret-1`) is a stand-in.
  const word = (found[0].split('_').pop() ?? '').replace(/s$/, '');
  if (word.length >= 3 && secret.toLowerCase().replace(/[-_]/g, '').includes(word)) return false;
  if (/^[a-z]+(?:[-_. ][a-z]+)*$/.test(secret)) return false;
  if (bare && /^(?:[a-z_]+|[A-Z_]+|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)$/.test(secret)) return false;
  return true;
}
