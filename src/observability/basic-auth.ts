import { createHash, timingSafeEqual } from 'node:crypto';

/** The one login the dashboard accepts. */
export interface BasicCredentials {
  user: string;
  password: string;
}

/**
 * True when an `Authorization: Basic …` header carries exactly `expected`. Both halves are compared
 * as SHA-256 digests with `timingSafeEqual`, and both are always compared, so the time taken does
 * not tell how much of a guess was right.
 */
export function isAuthorized(header: string | undefined, expected: BasicCredentials): boolean {
  const given = parseBasicAuth(header);
  const userOk = safeEqual(given?.user ?? '', expected.user);
  const passwordOk = safeEqual(given?.password ?? '', expected.password);
  return given !== null && userOk && passwordOk;
}

/** The user and password of a Basic `Authorization` header, or `null` when it is not one. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
