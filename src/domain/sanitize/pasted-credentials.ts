import { ASSIGNMENT, isCredentialKey, isPlaceholder } from './secret-patterns.js';
import { findSecrets, redactSecrets, type SecretFinding } from './secret-scan.js';

/** Words that answer "what is this field" rather than being a value (`password: required`). */
const NON_VALUES =
  /^(?:true|false|null|none|nil|undefined|required|optional|string|str|int|bool|secret|hidden|unset|empty|n\/a)$/i;

/** `key: value` or `key=value` in the middle of a sentence (`/revise use api_key=… for the run`). */
const INLINE_ASSIGNMENT =
  /(?<![\w.-])(?<key>[A-Za-z_][\w.-]*)[ \t]*(?::|=)[ \t]*(?<bare>[^\s"'`,;()[\]{}<>]+)/g;

/** An HTTP authorization header pasted bare: `Authorization: Basic dXNlcjpw…`, `-H "Authorization: Bearer …"`. */
const AUTHORIZATION_HEADER =
  /\bauthorization[ \t]*[:=][ \t]*(?:basic|bearer|token)[ \t]+(?<value>[^\s"']{8,})/gi;

/**
 * The credentials a person pasted into a comment or an issue: what `findSecrets` finds (vendor
 * tokens, private keys, JWTs, passwords in URLs, long random values under a credential name), plus
 * shorter values a person types under a credential key in a JSON object or a `key: value` /
 * `key=value` line (`"password": "Tr0ub4dor!"`, `client_secret: 8x!Kp2`) and bare `Authorization:`
 * headers. Placeholders never count: `<your-token>`, `***`, `${{ secrets.X }}`, `$API_KEY`, `xxxx`,
 * `changeme`, sequential filler, prose, and words such as `required`. Only the kind and line of each
 * finding are returned, never the value.
 */
export function findPastedCredentials(body: string): SecretFinding[] {
  const lines = body.replace(/\r\n?/g, '\n');
  const text = lines.replaceAll('`', ' ');
  // Backticks are read as spaces so `key: value` in a code span counts; the text as written is scanned
  // too, so nothing `redactSecrets` would hide from the bot's own comments goes unreported here.
  const findings = findSecrets(text);
  for (const finding of findSecrets(lines)) {
    if (!findings.some((found) => found.line === finding.line)) findings.push(finding);
  }
  for (const found of [...text.matchAll(ASSIGNMENT), ...text.matchAll(INLINE_ASSIGNMENT)]) {
    const groups = found.groups ?? {};
    const value = groups.quoted ?? groups.bare;
    if (groups.key === undefined || value === undefined) continue;
    if (!isCredentialKey(groups.key) || !isTypedCredential(value)) continue;
    const line = text.slice(0, found.index).split('\n').length;
    if (findings.some((finding) => finding.line === line)) continue;
    findings.push({ kind: `value of "${groups.key.slice(0, 40)}"`, line });
  }
  for (const found of text.matchAll(AUTHORIZATION_HEADER)) {
    const value = found.groups?.value ?? '';
    const line = text.slice(0, found.index).split('\n').length;
    if (isPlaceholder(value) || findings.some((finding) => finding.line === line)) continue;
    findings.push({ kind: 'authorization header', line });
  }
  return findings.sort((a, b) => a.line - b.line);
}

/** True when a comment or issue body carries at least one credential (see {@link findPastedCredentials}). */
export function hasPastedCredentials(body: string): boolean {
  return findPastedCredentials(body).length > 0;
}

/**
 * A value a person could have typed as a password or key: one word of 6 or more characters with a
 * digit or a symbol (other than `-`, `_`, `.`) in it, that is not a placeholder, a URL or a dotted
 * identifier (`settings.api_key`). Longer random values are `findSecrets`' part.
 */
function isTypedCredential(raw: string): boolean {
  const value = raw.trim();
  if (value.length < 6 || /\s/.test(value) || NON_VALUES.test(value) || isPlaceholder(value)) return false;
  if (/^(.)\1*$/.test(value) || /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/.test(value)) return false;
  if (/^https?:\/\//i.test(value) || /^v?\d+(?:\.\d+)+$/.test(value)) return false;
  return /[\d]|[^\w.-]/.test(value);
}

/**
 * `text` with every line `findPastedCredentials` reports replaced by `[redacted]`, and what
 * `redactSecrets` finds elsewhere (a private key's later lines) redacted too: for free text the bot
 * keeps, where a short typed password (`password: hunter22`) must not survive either.
 */
export function redactPastedCredentials(text: string): string {
  const lines = text.split(/\r\n?|\n/);
  for (const { line } of findPastedCredentials(text)) lines[line - 1] = '[redacted]';
  return redactSecrets(lines.join('\n'));
}
