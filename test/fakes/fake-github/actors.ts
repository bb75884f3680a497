import type { RouteContext, RouteRequest } from './route.js';

/** The credential of `authorization: token X` / `bearer X`, or `undefined`. */
function credentialOf(request: RouteRequest): string | undefined {
  const header = request.headers.authorization;
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * The login of the person whose token (`addPersonToken`) authorised `request`, or `undefined` when
 * it came with any other credential: the fake takes those for the App's installation tokens.
 */
export function personOf(request: RouteRequest, context: RouteContext): string | undefined {
  const credential = credentialOf(request);
  return credential === undefined ? undefined : context.state.personTokens.get(credential);
}

/** Who GitHub records as the author of a write: the person whose token it was, else the App's bot user. */
export function authorOf(request: RouteRequest, context: RouteContext): string {
  return personOf(request, context) ?? context.botLogin;
}

/**
 * Whether `request` carries a JSON web token of this App, as the `/app` family of endpoints needs:
 * three base64url parts whose payload names the App id as `iss` and has not expired. The signature is
 * not checked (the fake does not know the App's public key); anything else, a person's token or an
 * installation token, is refused as GitHub refuses it.
 */
export function hasAppJwt(request: RouteRequest, context: RouteContext): boolean {
  const parts = credentialOf(request)?.split('.') ?? [];
  if (parts.length !== 3 || parts[1] === undefined) return false;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof payload !== 'object' || payload === null) return false;
    const { iss, exp } = payload as { iss?: unknown; exp?: unknown };
    const now = Date.parse(context.now()) / 1000;
    return String(iss) === String(context.appId) && typeof exp === 'number' && exp > now;
  } catch {
    return false;
  }
}
