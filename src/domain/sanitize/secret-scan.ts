import { ASSIGNMENT, isSecretAssignment, TOKEN_PATTERNS } from './secret-patterns.js';

/** A credential found in a text: what it looks like and where, never the value itself. */
export interface SecretFinding {
  kind: string;
  /** 1-based line of the start of the credential. */
  line: number;
}

interface SecretMatch {
  kind: string;
  start: number;
  end: number;
}

/**
 * Every credential-looking value in `text`, in order: private keys, vendor tokens (AWS, GitHub,
 * GitLab, Stripe, Slack, Anthropic, OpenAI, Google, Hugging Face, npm, PyPI, SendGrid, Shopify,
 * HubSpot, Atlassian, Azure storage, Databricks, JWTs), passwords in URLs and high-entropy values
 * assigned to `password`/`secret`/`token`/`api_key`-like names. Placeholders and simulator stand-ins
 * (`<your key>`, `${VAR}`, `replay-token`, `os.environ[…]`, `ghp_xxxx…`, `AKIA…EXAMPLE`) do not
 * count; a vendor token is judged by its shape, so one that holds `abcdef` or `0123456` by chance
 * still does. Used on every agent write (a finding refuses it), on issue and comment bodies (through
 * `findPastedCredentials`) and, through `redactSecrets`, on everything the bot posts or stores in
 * its state marker.
 */
export function findSecrets(text: string): SecretFinding[] {
  return matchSecrets(text).map((match) => ({ kind: match.kind, line: lineOf(text, match.start) }));
}

/** `text` with every value `findSecrets` reports replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const match of matchSecrets(text).reverse()) {
    result = `${result.slice(0, match.start)}[redacted]${result.slice(match.end)}`;
  }
  return result;
}

/** Non-overlapping matches, sorted by position; where two overlap the earlier pattern wins. */
function matchSecrets(text: string): SecretMatch[] {
  const kept: SecretMatch[] = [];
  const keep = (candidate: SecretMatch): void => {
    if (!kept.some((match) => candidate.start < match.end && match.start < candidate.end))
      kept.push(candidate);
  };
  for (const pattern of TOKEN_PATTERNS) {
    for (const found of text.matchAll(pattern.regex)) {
      const range = found.indices?.groups?.secret;
      const secret = found.groups?.secret;
      if (range === undefined || secret === undefined) continue;
      if (pattern.accept && !pattern.accept(secret)) continue;
      keep({ kind: pattern.kind, start: range[0], end: range[1] });
    }
  }
  for (const found of text.matchAll(ASSIGNMENT)) {
    const groups = found.groups ?? {};
    const bare = groups.bare !== undefined;
    const value = groups.quoted ?? groups.bare;
    const range = found.indices?.groups?.[bare ? 'bare' : 'quoted'];
    if (groups.key === undefined || value === undefined || range === undefined) continue;
    if (!isSecretAssignment(groups.key, value, bare)) continue;
    keep({ kind: `secret assigned to "${groups.key.slice(0, 40)}"`, start: range[0], end: range[1] });
  }
  return kept.sort((a, b) => a.start - b.start);
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
}
