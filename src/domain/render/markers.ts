import { Run } from '../pipeline/run.js';
import { buildMarkerState } from './marker-state.js';

const PREFIX = 'lakeflow-connector-bot:';
const STATE_VERSION = 1;
const STATE_PATTERN = /<!-- lakeflow-connector-bot:state v=1 ([A-Za-z0-9_-]*) -->/g;

/**
 * Above this many characters of encoded state, bulky fields are dropped from the marker so the
 * status comment stays well inside GitHub's 65,536-character limit for a comment body.
 */
const MAX_STATE_CHARS = 40_000;

/**
 * The hidden first line of a bot comment, naming its kind: `<!-- lakeflow-connector-bot:plan -->`.
 * The GitHub adapter finds its own comments by it. Characters outside `[a-z0-9_.-]` become `_`, so a
 * key can never close the comment early.
 */
export function renderMarker(key: string): string {
  return `<!-- ${PREFIX}${key.replace(/[^a-z0-9_.-]/g, '_')} -->`;
}

/** True when `body` starts with the marker of exactly `key` (not a longer key, not further down). */
export function hasMarker(body: string, key: string): boolean {
  return body.startsWith(renderMarker(key));
}

const LEADING_MARKER = /^<!-- lakeflow-connector-bot:[a-z0-9_.-]+ -->\n?/;
const LEADING_KEY = /^<!-- lakeflow-connector-bot:([a-z0-9_.-]+) -->/;

/** The key of the marker `body` starts with (`plan`, `status`, `reply-…`), or `null` when it starts with none. */
export function markerKeyOf(body: string): string | null {
  return LEADING_KEY.exec(body)?.[1] ?? null;
}

/**
 * `body` with the marker of `key` as its first line: a renderer's own kind marker (e.g. `summary`)
 * is replaced, so each comment the bot upserts is findable by its exact key.
 */
export function markBody(key: string, body: string): string {
  return `${renderMarker(key)}\n${body.replace(LEADING_MARKER, '')}`;
}

/**
 * The run as a hidden marker, so a run lost from Redis can be rebuilt from its status comment:
 * `<!-- lakeflow-connector-bot:state v=1 <base64url of the JSON> -->`. What goes in is
 * `buildMarkerState(run)`: redacted, without queued feedback or CI output. A run too large for a
 * comment keeps its essential state: the failed tests of the last CI run are dropped first, then
 * the request notes, then CI runs of earlier batches.
 */
export function renderStateMarker(run: Run): string {
  let kept = buildMarkerState(run);
  let encoded = encodeState(kept);
  for (const compact of COMPACTIONS) {
    if (encoded.length <= MAX_STATE_CHARS) break;
    kept = compact(kept);
    encoded = encodeState(kept);
  }
  return `<!-- ${PREFIX}state v=${STATE_VERSION} ${encoded} -->`;
}

/**
 * The run stored in `body`'s state marker, or null when there is none or it is truncated, altered,
 * not JSON or not a valid `Run`. Never throws. The last marker wins: the status comment puts its
 * own on the last line, after any text that might imitate one. Anyone can write a marker into a
 * comment of their own: the caller reads only the bot's status comment (`GitHubPort.findComment`
 * matches the bot's comments alone) and checks the run is the issue's own.
 */
export function parseStateMarker(body: string): Run | null {
  const matches = [...body.matchAll(STATE_PATTERN)];
  const encoded = matches.at(-1)?.[1];
  if (encoded === undefined) return null;
  try {
    const json = new TextDecoder('utf-8', { fatal: true }).decode(decodeBase64Url(encoded));
    const parsed = Run.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const COMPACTIONS: ReadonlyArray<(run: Run) => Run> = [
  (run) => ({ ...run, lastCiFailure: null }),
  (run) => ({ ...run, request: { ...run.request, notes: '' } }),
  (run) => ({ ...run, ciRuns: run.ciRuns.filter((record) => record.batch === run.batch.number).slice(-20) }),
];

function encodeState(run: Run): string {
  return encodeBase64Url(new TextEncoder().encode(JSON.stringify(run)));
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64url without padding (RFC 4648 §5), written here so the domain needs no Node `Buffer`. */
function encodeBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j++) out += ALPHABET.charAt((chunk >> (18 - 6 * j)) & 63);
  }
  return out;
}

/** Inverse of `encodeBase64Url`; throws on a character outside the alphabet or an impossible length. */
function decodeBase64Url(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new Error('Invalid base64url length');
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of text) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) throw new Error('Invalid base64url character');
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[index++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes;
}

const PULL_REQUEST_RUN = /^<!-- lakeflow-connector-bot:pr-body -->\r?\nCloses #(\d{1,9})\./;

/**
 * The issue of the run a bot PR belongs to, read from the first lines of its body, or `null`.
 * Anyone can write such a body, so the caller must check the run's own PR number too.
 */
export function parseRunIssueFromPullRequestBody(body: string | null): number | null {
  const match = PULL_REQUEST_RUN.exec(body ?? '');
  return match?.[1] === undefined ? null : Number(match[1]);
}
