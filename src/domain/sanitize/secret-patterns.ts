import { isPlaceholder, isStandInToken, shannonEntropy } from './placeholders.js';

export { isPlaceholder } from './placeholders.js';

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

/**
 * A vendor token: not a stand-in once its `prefix` (`ghp_`, `sk_live_`, `AKIA`…) is dropped. Whatever
 * digits and letters a random token holds by chance (`abcdef`, `0123456`, `test`), it counts.
 */
function realToken(prefix: RegExp): (secret: string) => boolean {
  return (secret) => !isStandInToken(secret, secret.replace(prefix, ''));
}

/** A JWT counts when its signature is not a stand-in (`eyJ….eyJ….xxxxxxxx`). */
function realJwt(secret: string): boolean {
  const signature = secret.split('.')[2] ?? '';
  return !isStandInToken(secret, signature === '' ? secret : signature);
}

/** A PEM private key counts when its base64 body is not a stand-in (`XXXX…`, `MIIE…AAAA`). */
function realPrivateKey(secret: string): boolean {
  const body = secret
    .replace(/-----(?:BEGIN|END) [A-Z0-9 ]+-----/g, '')
    .replace(/\\[nr]|[\w-]+: [^\n\\]*/g, '')
    .replace(/\s/g, '');
  return !isStandInToken(secret, body);
}

/** Vendor formats, most specific first: an earlier pattern wins where two overlap. */
export const TOKEN_PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'private key',
    // The header, then (across real or escaped newlines and PEM headers) at least 40 base64
    // characters, then up to the END line, or the rest of the base64 body when it is cut off.
    regex:
      /(?<secret>-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[nr])*(?:[\w-]+: [^\n\\]*(?:\s|\\[nr])+)*[A-Za-z0-9+/=]{40}(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?:[A-Za-z0-9+/=]|\s|\\[nr])*))/dg,
    accept: realPrivateKey,
  },
  {
    kind: 'AWS access key id',
    regex: /\b(?<secret>(?:AKIA|ASIA)[A-Z0-9]{16})\b/dg,
    accept: realToken(/^(?:AKIA|ASIA)/),
  },
  {
    kind: 'AWS secret access key',
    regex: /secret_?access_?key["']?[ \t]*[:=][ \t]*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    accept: realToken(/^/),
  },
  {
    kind: 'GitHub token',
    regex: /\b(?<secret>gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})\b/dg,
    accept: realToken(/^(?:gh[pousr]_|github_pat_)/),
  },
  {
    kind: 'GitLab token',
    regex: /\b(?<secret>gl(?:pat|dt|rt|ptt|oas)-[A-Za-z0-9_-]{20,})/dg,
    accept: realToken(/^gl[a-z]+-/),
  },
  {
    kind: 'Stripe secret key',
    regex: /\b(?<secret>(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,247}|whsec_[A-Za-z0-9+/=]{24,})/dg,
    accept: realToken(/^(?:[sr]k_(?:live|test)_|whsec_)/),
  },
  {
    kind: 'Slack token',
    regex: /\b(?<secret>xox[abposre]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})/dg,
    accept: realToken(/^(?:xox[a-z]|xapp)-/),
  },
  {
    kind: 'Slack webhook URL',
    regex:
      /\bhttps:\/\/hooks\.slack\.com\/services\/(?<secret>T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{16,})/dg,
    accept: realToken(/^T[A-Z0-9]+\/B[A-Z0-9]+\//),
  },
  {
    kind: 'Anthropic API key',
    regex: /\b(?<secret>sk-ant-[A-Za-z0-9_-]{20,})/dg,
    accept: realToken(/^sk-ant-(?:[a-z]+\d*-)?/),
  },
  {
    kind: 'OpenAI-style API key',
    regex: /\b(?<secret>sk-(?!ant-)[A-Za-z0-9_-]{32,})/dg,
    // `sk-` starts CSS class names and slugs too: a key has a digit and looks random.
    accept: (secret) =>
      realToken(/^sk-(?:proj-|svcacct-|admin-)?/)(secret) &&
      /\d/.test(secret) &&
      shannonEntropy(secret) >= 3.5,
  },
  {
    kind: 'Google API key',
    regex: /\b(?<secret>AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/dg,
    accept: realToken(/^AIza/),
  },
  {
    kind: 'Hugging Face token',
    regex: /\b(?<secret>hf_[A-Za-z0-9]{30,})\b/dg,
    accept: realToken(/^hf_/),
  },
  {
    kind: 'npm token',
    regex: /\b(?<secret>npm_[A-Za-z0-9]{36})\b/dg,
    accept: realToken(/^npm_/),
  },
  {
    kind: 'PyPI token',
    regex: /\b(?<secret>pypi-AgE[A-Za-z0-9_-]{50,})/dg,
    accept: realToken(/^pypi-AgE[A-Za-z0-9_-]{13}/),
  },
  {
    kind: 'SendGrid API key',
    regex: /\b(?<secret>SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{30,64})/dg,
    accept: realToken(/^SG\./),
  },
  {
    kind: 'Shopify token',
    regex: /\b(?<secret>shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32})\b/dg,
    accept: realToken(/^shp[a-z]{2}_/),
  },
  {
    kind: 'HubSpot private app token',
    regex: /\b(?<secret>pat-(?:na|eu|ap)\d-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/dg,
    accept: realToken(/^pat-[a-z]{2}\d-/),
  },
  {
    kind: 'Atlassian API token',
    regex: /\b(?<secret>ATATT3[A-Za-z0-9_=-]{60,})/dg,
    accept: realToken(/^ATATT3/),
  },
  {
    kind: 'Azure storage key',
    regex: /\b(?:AccountKey|SharedAccessKey)=(?<secret>[A-Za-z0-9+/]{40,88}={0,2})/dg,
    accept: realToken(/^/),
  },
  {
    kind: 'bearer token (JWT)',
    regex: /\b[Bb]earer[ \t]+(?<secret>eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*)/dg,
    accept: realJwt,
  },
  {
    kind: 'JWT',
    // A signed JWT on its own: a JSON header and payload (both `eyJ…`) and a signature.
    regex: /\b(?<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,})/dg,
    accept: realJwt,
  },
  {
    kind: 'Databricks token',
    regex: /\b(?<secret>dapi[0-9a-f]{32}(?:-\d+)?)\b/dg,
    accept: realToken(/^dapi/),
  },
  {
    kind: 'password in a URL',
    // `scheme://user:password@host`: the password is the secret, user and host stay readable. A
    // host reserved for documentation (RFC 2606: `example.com`, `*.example`, `*.test`) marks an example.
    regex:
      /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`<>]+:(?<secret>[^\s:/@"'`<>]{6,})@(?![\w.-]*(?:\bexample\.(?:com|org|net)|\.(?:example|test|invalid))(?![\w.-]))[A-Za-z0-9.-]/dg,
    accept: (secret) => !isPlaceholder(secret) && !/^[a-z]+$/i.test(secret),
  },
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
  /(?:^|_)(?:password|passwd|pwd|pass|secret|token|pat|(?:api|access|secret|private|auth|account|signing|master|app|client|subscription)_?key|authorization|credentials?)$/;
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
