/**
 * The hosts the research agent's server-side `web_fetch` may reach: the hosts of the request's
 * documentation links plus the repository config's `webFetch.allowedDomains`, passed to the API as
 * the tool's `allowed_domains` (the API includes subdomains, takes no scheme, path or wildcard).
 */

/** A lower-case DNS name of two labels or more, the last starting with a letter (so never an IPv4 address). */
export const PUBLIC_HOSTNAME =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Names that only mean something inside a network: never a documentation host. */
const INTERNAL_NAMES = /(?:^|\.)(?:localhost|local|internal|intranet|lan|localdomain|home\.arpa)$/;

/** Most hosts `web_fetch` is given (20 documentation links plus the configured list). */
export const MAX_WEB_FETCH_DOMAINS = 70;

/**
 * Whether `host` (lower-case, no port) may be an allowed `web_fetch` domain: a public-looking DNS
 * name. IP literals (IPv4 in any notation `URL` normalises, IPv6 in brackets), `localhost`,
 * single-label names and internal suffixes (`.local`, `.internal`, …) are refused, so a link to a
 * loopback, private or link-local address never becomes something the agent may fetch.
 */
export function isPublicHostname(host: string): boolean {
  return host.length <= 253 && PUBLIC_HOSTNAME.test(host) && !INTERNAL_NAMES.test(host);
}

/** The host of an http(s) link, lower-case and without a trailing dot, or `null`. */
function hostOf(link: string): string | null {
  if (!URL.canParse(link)) return null;
  const url = new URL(link);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.hostname.toLowerCase().replace(/\.$/, '');
}

/**
 * The documentation links' hosts then the configured domains, lower-cased, deduplicated, in that
 * order, without any host `isPublicHostname` refuses. Empty means: offer no `web_fetch` at all.
 */
export function buildWebFetchDomains(params: {
  docsUrls: readonly string[];
  allowedDomains: readonly string[];
}): string[] {
  const candidates = [
    ...params.docsUrls.map(hostOf),
    ...params.allowedDomains.map((domain) => domain.toLowerCase().replace(/\.$/, '')),
  ];
  const hosts = new Set<string>();
  for (const host of candidates) {
    if (host !== null && isPublicHostname(host)) hosts.add(host);
  }
  return [...hosts].slice(0, MAX_WEB_FETCH_DOMAINS);
}
